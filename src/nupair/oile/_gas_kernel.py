"""Numerics of the two-group gas Monte Carlo: one step = a uniformly random perfect matching, the
encounters and the one-body precession, streamed through memory on all cores.

The matching (why it is uniform)
--------------------------------
Each step, every particle draws a bucket label k in [0, K) (K a power of two) from a
counter-based generator; the particles are scattered into their buckets (a stable counting
scatter, as in one pass of a radix sort); each bucket is shuffled in place by Fisher-Yates;
adjacent rows inside a bucket are partners; the last particle of every odd-sized bucket is a
"leftover", and the leftovers are paired in bucket order. Labels are i.i.d. and independent of
the particles' identities, and each bucket's order is a uniform permutation of its members
whatever order they arrived in, so the distribution of the matching is invariant under every
relabelling of the particles. The symmetric group acts transitively on perfect matchings, hence
the matching is exactly uniform (tests/oile/test_gas_kernel.py checks it by a chi-square test
over all 105 matchings of 8 particles). Steps use independent keys.

Why this is fast: the scatter writes K streams (cache-friendly, like a radix-sort pass), each
bucket (~4000 particles) is shuffled and stepped while it sits in cache, and the only random
access is inside a bucket. Per particle and step the memory traffic is one scatter (read and
write a row) and one pass over the buckets.

Determinism: labels, bucket shuffles and the reductions depend only on (seed, step, position)
and on work partitions fixed by N (never by the thread count), so a run is bit-identical on any
number of threads and after a resume.

The generator is SplitMix64's output function applied to key + (counter + 1) * golden gamma
(Steele, Lea & Flood, OOPSLA 2014): a counter-based stream whose state is two integers.
"""

from __future__ import annotations

import math
import types

import numba
import numpy as np
from numba import prange

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S32 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(32)
_MASK32 = np.uint64(0xFFFFFFFF)
_LEFTOVER_SALT = np.uint64(0xD1B54A32D192ED03)

#: Bucket size ~ BUCKET_TARGET..2 BUCKET_TARGET particles (two-flavor rows: 200-400 KB, in L2).
BUCKET_TARGET = 8192
#: Largest number of buckets (labels are uint16; more streams would thrash the TLB in the scatter).
MAX_BUCKETS = 4096
#: Largest gas: bucket-local indices are uint16, so a bucket (~n / MAX_BUCKETS) stays below 2^16.
MAX_PARTICLES = 1 << 27
#: Particles per chunk of the counting scatter and of the reductions (fixed by N, not by threads).
MIN_CHUNK = 1 << 16


@numba.njit(inline="always")
def _mix64(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@numba.njit(inline="always")
def _draw(key, counter):
    """64 random bits for (key, counter): SplitMix64's output at position counter of stream key."""
    return _mix64(key + (np.uint64(counter) + np.uint64(1)) * _GOLDEN)


@numba.njit(cache=True)
def step_keys(seed_key, step):
    """Independent 64-bit keys of one step: (labels, shuffles)."""
    base = _mix64(np.uint64(seed_key) ^ _mix64(np.uint64(step) * _GOLDEN + np.uint64(0x5851F42D4C957F2D)))
    return _mix64(base ^ np.uint64(1)), _mix64(base ^ np.uint64(2))


@numba.njit(inline="always")
def _below(key, counter, m):
    """Uniform integer in [0, m), 1 <= m < 2^32: Lemire's multiply-shift with rejection (exact;
    the modulo is computed only in the rare case that may need a redraw)."""
    mm = np.uint64(m)
    x = _draw(key, counter) >> _S32
    prod = x * mm
    low = prod & _MASK32
    if low < mm:
        threshold = ((np.uint64(1) << _S32) - mm) % mm
        retry = np.uint64(1)
        while low < threshold:
            x = _draw(key ^ (retry * _M2), counter) >> _S32
            prod = x * mm
            low = prod & _MASK32
            retry += np.uint64(1)
    return np.int64(prod >> _S32)


def layout(n: int) -> tuple[int, int]:
    """(bucket bits, chunk size) for n particles: fixed by n alone."""
    buckets = 1
    while buckets < MAX_BUCKETS and n // (2 * buckets) >= BUCKET_TARGET:
        buckets *= 2
    chunk = max(MIN_CHUNK, 4 * -(-n // 1024))
    if n > MAX_PARTICLES:
        raise ValueError(f"n={n} is not allowed: the gas kernel handles at most {MAX_PARTICLES} neutrinos")
    return int(math.log2(buckets)), chunk


def _count_py(labels, counts, key, kbits, chunk):
    """Bucket labels (top kbits of 16-bit fields, four per 64-bit draw, keyed by position) and the
    per-chunk counts. ``chunk`` is a multiple of 4, so a draw never straddles two chunks."""
    n = labels.size
    n_chunks = counts.shape[0]
    shift = np.uint64(16 - kbits)
    for c in prange(n_chunks):
        lo = c * chunk
        hi = min(n, lo + chunk)
        for k in range(counts.shape[1]):
            counts[c, k] = 0
        if kbits == 0:
            for i in range(lo, hi):
                labels[i] = 0
            counts[c, 0] = hi - lo
            continue
        for i4 in range(lo // 4, (hi + 3) // 4):
            bits = _draw(key, i4)
            for q in range(4):
                i = 4 * i4 + q
                if i < hi:
                    lab = np.uint16(((bits >> np.uint64(16 * q)) & np.uint64(0xFFFF)) >> shift)
                    labels[i] = lab
                    counts[c, lab] += 1


@numba.njit(cache=True)
def _offsets(counts, offsets, starts):
    """Bucket-major exclusive prefix: bucket k holds, in chunk order, the chunks' members."""
    n_chunks, n_buckets = counts.shape
    pos = 0
    for k in range(n_buckets):
        starts[k] = pos
        for c in range(n_chunks):
            offsets[c, k] = pos
            pos += counts[c, k]
    starts[n_buckets] = pos


def _scatter_py(p, group, labels, offsets, out_p, out_group, chunk):
    n, d = p.shape
    for c in prange(offsets.shape[0]):
        pos = offsets[c].copy()
        lo = c * chunk
        hi = min(n, lo + chunk)
        for i in range(lo, hi):
            k = labels[i]
            dst = pos[k]
            pos[k] = dst + 1
            for a in range(d):
                out_p[dst, a] = p[i, a]
            out_group[dst] = group[i]


@numba.njit(inline="always")
def _rotate(p, i, rot, tmp):
    d = p.shape[1]
    for a in range(d):
        tmp[a] = p[i, a]
    for a in range(d):
        s = 0.0
        for b in range(d):
            s += rot[a, b] * tmp[b]
        p[i, a] = s


@numba.njit(inline="always")
def _rotate3(p, i, r):
    x, y, z = p[i, 0], p[i, 1], p[i, 2]
    p[i, 0] = r[0, 0] * x + r[0, 1] * y + r[0, 2] * z
    p[i, 1] = r[1, 0] * x + r[1, 1] * y + r[1, 2] * z
    p[i, 2] = r[2, 0] * x + r[2, 1] * y + r[2, 2] * z


@numba.njit(inline="always")
def _encounter3(p, i, j, c2, s2, cs):
    ax, ay, az = p[i, 0], p[i, 1], p[i, 2]
    bx, by, bz = p[j, 0], p[j, 1], p[j, 2]
    fx = ay * bz - az * by
    fy = az * bx - ax * bz
    fz = ax * by - ay * bx
    p[i, 0] = c2 * ax + s2 * bx - cs * fx
    p[i, 1] = c2 * ay + s2 * by - cs * fy
    p[i, 2] = c2 * az + s2 * bz - cs * fz
    p[j, 0] = c2 * bx + s2 * ax + cs * fx
    p[j, 1] = c2 * by + s2 * ay + cs * fy
    p[j, 2] = c2 * bz + s2 * az + cs * fz


@numba.njit(inline="always")
def _encounter8(p, i, j, c2, s2, cs, fk, fl, fm, fv, f):
    """P_i' = c^2 P_i + s^2 P_j - c s f(P_i, P_j), P_j' = c^2 P_j + s^2 P_i + c s f(P_i, P_j);
    f(P, Q)_m = f_klm P_k Q_l over the non-zero structure constants (fk, fl, fm, fv)."""
    for a in range(8):
        f[a] = 0.0
    for t in range(fv.size):
        f[fm[t]] += fv[t] * p[i, fk[t]] * p[j, fl[t]]
    for a in range(8):
        x, y = p[i, a], p[j, a]
        p[i, a] = c2 * x + s2 * y - cs * f[a]
        p[j, a] = c2 * y + s2 * x + cs * f[a]


@numba.njit(inline="always")
def _rot3(p, i, rot, gi):
    x, y, z = p[i, 0], p[i, 1], p[i, 2]
    p[i, 0] = rot[gi, 0, 0] * x + rot[gi, 0, 1] * y + rot[gi, 0, 2] * z
    p[i, 1] = rot[gi, 1, 0] * x + rot[gi, 1, 1] * y + rot[gi, 1, 2] * z
    p[i, 2] = rot[gi, 2, 0] * x + rot[gi, 2, 1] * y + rot[gi, 2, 2] * z


@numba.njit(inline="always")
def _leftover_first(idx, lo, m, key):
    """Fill idx[lo:lo+m] with 0..m-1; for odd m move a uniformly chosen index to the end (the
    bucket's leftover). Returns the number of indices left to pair (even)."""
    for j in range(m):
        idx[lo + j] = j
    if m % 2 == 0:
        return m
    r = _below(key ^ _LEFTOVER_SALT, lo + m - 1, m)
    t = idx[lo + m - 1]
    idx[lo + m - 1] = idx[lo + r]
    idx[lo + r] = t
    return m - 1


@numba.njit(inline="always")
def _partner(idx, lo, j, key):
    """Uniform perfect matching, one pair at a time: the index at position j meets a uniformly
    chosen one of positions [0, j), which is moved to j - 1. Returns the two bucket-local indices."""
    r = _below(key, lo + j, j)
    t = idx[lo + j - 1]
    idx[lo + j - 1] = idx[lo + r]
    idx[lo + r] = t
    return np.int64(idx[lo + j - 1]), np.int64(idx[lo + j])


def _buckets3_py(p, group, starts, idx, leftover, key, rot, c2, s2, cs):
    """Two flavors, per bucket (in parallel): first half rotation (in order: it also streams the
    bucket into cache), then a uniform perfect matching of the bucket drawn pair by pair
    (:func:`_partner`), each pair's encounter and second half rotation done as it is drawn; rows
    are updated in place (only 2-byte indices move). An odd bucket's leftover (``leftover[k]``,
    -1 if none) only gets its first rotation here."""
    for k in prange(starts.size - 1):
        lo, hi = starts[k], starts[k + 1]
        for i in range(lo, hi):
            _rot3(p, i, rot, group[i])
        end = _leftover_first(idx, lo, hi - lo, key)
        leftover[k] = lo + np.int64(idx[hi - 1]) if end < hi - lo else -1
        for j in range(end - 1, 0, -2):
            a, b = _partner(idx, lo, j, key)
            i, jj = lo + a, lo + b
            _encounter3(p, i, jj, c2, s2, cs)
            _rot3(p, i, rot, group[i])
            _rot3(p, jj, rot, group[jj])


def _buckets8_py(p, group, starts, idx, leftover, key, rot, c2, s2, cs, fk, fl, fm, fv):
    """Three flavors: as :func:`_buckets3_py` with 8-component rows and SU(3) encounters."""
    for k in prange(starts.size - 1):
        lo, hi = starts[k], starts[k + 1]
        tmp = np.empty(8)
        f = np.empty(8)
        for i in range(lo, hi):
            _rotate(p, i, rot[group[i]], tmp)
        end = _leftover_first(idx, lo, hi - lo, key)
        leftover[k] = lo + np.int64(idx[hi - 1]) if end < hi - lo else -1
        for j in range(end - 1, 0, -2):
            a, b = _partner(idx, lo, j, key)
            i, jj = lo + a, lo + b
            _encounter8(p, i, jj, c2, s2, cs, fk, fl, fm, fv, f)
            _rotate(p, i, rot[group[i]], tmp)
            _rotate(p, jj, rot[group[jj]], tmp)


@numba.njit(cache=True)
def _leftovers(p, group, leftover, rot, c2, s2, cs, fk, fl, fm, fv):
    """Pair the leftovers of the odd buckets in bucket order; encounter, second half rotation."""
    d = p.shape[1]
    tmp = np.empty(d)
    f = np.empty(d)
    first = -1
    for k in range(leftover.size):
        i = leftover[k]
        if i < 0:
            continue
        if first < 0:
            first = i
            continue
        if d == 3:
            _encounter3(p, first, i, c2, s2, cs)
            _rot3(p, first, rot, group[first])
            _rot3(p, i, rot, group[i])
        else:
            _encounter8(p, first, i, c2, s2, cs, fk, fl, fm, fv, f)
            _rotate(p, first, rot[group[first]], tmp)
            _rotate(p, i, rot[group[i]], tmp)
        first = -1


def chunk_moments_py(p, group, chunk, out):
    """Per chunk and group: count, mean (d), sum of squared deviations from that mean (d), sum |P|.

    ``out`` (n_chunks, 2, 2 + 2 d). Two passes per chunk (mean, then deviations) for accuracy
    when the spread is tiny against the mean; chunks are merged in order by :func:`merge_moments`.
    """
    n, d = p.shape
    for c in prange(out.shape[0]):
        lo = c * chunk
        hi = min(n, lo + chunk)
        for g in range(2):
            for a in range(out.shape[2]):
                out[c, g, a] = 0.0
        for i in range(lo, hi):
            g = group[i]
            out[c, g, 0] += 1.0
            s = 0.0
            for a in range(d):
                out[c, g, 1 + a] += p[i, a]
                s += p[i, a] * p[i, a]
            out[c, g, 1 + 2 * d] += math.sqrt(s)
        for g in range(2):
            if out[c, g, 0] > 0:
                for a in range(d):
                    out[c, g, 1 + a] /= out[c, g, 0]
        for i in range(lo, hi):
            g = group[i]
            for a in range(d):
                x = p[i, a] - out[c, g, 1 + a]
                out[c, g, 1 + d + a] += x * x


#: Below this many particles the kernels run on one thread: a parallel launch costs more than
#: the work. Both variants compute the same numbers (the partition of the work is fixed by N).
PARALLEL_MIN = 1 << 17



def _variants(fn, cache=True):
    """(parallel, serial) compiled versions of ``fn``. The serial copy gets its own name: Numba's
    on-disk cache is keyed by the function's qualified name, and two variants of one name would
    load each other's machine code."""
    serial = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__ + "_serial", fn.__defaults__, fn.__closure__)
    serial.__qualname__ = fn.__qualname__ + "_serial"
    return numba.njit(parallel=True, cache=cache)(fn), numba.njit(cache=cache)(serial)


_count_par, _count_ser = _variants(_count_py)
_scatter_par, _scatter_ser = _variants(_scatter_py)
_buckets3_par, _buckets3_ser = _variants(_buckets3_py)
_buckets8_par, _buckets8_ser = _variants(_buckets8_py)
_moments_par, _moments_ser = _variants(chunk_moments_py)


def _buckets(p, group, starts, idx, leftover, key, rot, c2, s2, cs, fk, fl, fm, fv):
    parallel = p.shape[0] >= PARALLEL_MIN
    if p.shape[1] == 3:
        (_buckets3_par if parallel else _buckets3_ser)(p, group, starts, idx, leftover, key, rot, c2, s2, cs)
    else:
        (_buckets8_par if parallel else _buckets8_ser)(p, group, starts, idx, leftover, key, rot, c2, s2, cs,
                                                       fk, fl, fm, fv)


def chunk_moments(p, group, chunk, out):
    """Per chunk and group moments (see ``chunk_moments_py``), on all cores for large N."""
    (_moments_par if p.shape[0] >= PARALLEL_MIN else _moments_ser)(p, group, chunk, out)


@numba.njit(inline="always")
def _label(key, i, shift):
    """Bucket label of position i: the top bits of 16-bit field i % 4 of draw i // 4 (as _count_py)."""
    bits = _draw(key, i // 4)
    return np.int64(((bits >> np.uint64(16 * (i % 4))) & np.uint64(0xFFFF)) >> shift)


def _count_buckets_py(starts, counts, key, kbits):
    """Next step's label counts per source bucket (positions of the current layout)."""
    shift = np.uint64(16 - kbits)
    for k in prange(starts.size - 1):
        for b in range(counts.shape[1]):
            counts[k, b] = 0
        bits = np.uint64(0)
        for i in range(starts[k], starts[k + 1]):
            if i == starts[k] or i % 4 == 0:
                bits = _draw(key, i // 4)
            counts[k, np.int64(((bits >> np.uint64(16 * (i % 4))) & np.uint64(0xFFFF)) >> shift)] += 1


def _fused3_py(src, src_g, starts, offsets, idx, key_pair, key_next, kbits, dst, dst_g, scratch, scratch_g,
               left_row, left_g, left_dst, rot, c2, s2, cs):
    """One step for the buckets of the current layout, fused with the scatter into the next one.

    Per source bucket (in parallel): copy the rows into a per-thread scratch with the first half
    rotation (one sequential read), draw the bucket's matching pair by pair with each pair's
    encounter (in cache), then write every row, with its second half rotation, to its slot of the
    next step's layout (labels keyed by position, as in :func:`_count_py`). The leftover of an
    odd bucket is parked, once rotated, in ``left_row`` with its destination slot. The source is
    never written."""
    shift = np.uint64(16 - kbits)
    for k in prange(starts.size - 1):
        tid = numba.get_thread_id()
        lo, hi = starts[k], starts[k + 1]
        m = hi - lo
        sp = scratch[tid]
        sg = scratch_g[tid]
        for i in range(m):
            g = src_g[lo + i]
            sg[i] = g
            x, y, z = src[lo + i, 0], src[lo + i, 1], src[lo + i, 2]
            sp[i, 0] = rot[g, 0, 0] * x + rot[g, 0, 1] * y + rot[g, 0, 2] * z
            sp[i, 1] = rot[g, 1, 0] * x + rot[g, 1, 1] * y + rot[g, 1, 2] * z
            sp[i, 2] = rot[g, 2, 0] * x + rot[g, 2, 1] * y + rot[g, 2, 2] * z
        end = _leftover_first(idx, lo, m, key_pair)
        local_left = np.int64(idx[hi - 1]) if end < m else -1
        for j in range(end - 1, 0, -2):
            a, b = _partner(idx, lo, j, key_pair)
            _encounter3(sp, a, b, c2, s2, cs)
        left_dst[k] = -1
        bits = np.uint64(0)
        for i in range(m):
            pos = lo + i
            if i == 0 or pos % 4 == 0:
                bits = _draw(key_next, pos // 4)
            lab = np.int64(((bits >> np.uint64(16 * (pos % 4))) & np.uint64(0xFFFF)) >> shift)
            slot = offsets[k, lab]
            offsets[k, lab] = slot + 1
            if i == local_left:
                left_row[k, 0], left_row[k, 1], left_row[k, 2] = sp[i, 0], sp[i, 1], sp[i, 2]
                left_g[k] = sg[i]
                left_dst[k] = slot
                continue
            g = sg[i]
            x, y, z = sp[i, 0], sp[i, 1], sp[i, 2]
            dst[slot, 0] = rot[g, 0, 0] * x + rot[g, 0, 1] * y + rot[g, 0, 2] * z
            dst[slot, 1] = rot[g, 1, 0] * x + rot[g, 1, 1] * y + rot[g, 1, 2] * z
            dst[slot, 2] = rot[g, 2, 0] * x + rot[g, 2, 1] * y + rot[g, 2, 2] * z
            dst_g[slot] = sg[i]


@numba.njit(cache=True)
def _fused_leftovers(left_row, left_g, left_dst, dst, dst_g, rot, c2, s2, cs, fk, fl, fm, fv):
    """Pair the parked leftovers in bucket order (encounter, second half rotation) and write them
    to their slots of the next layout."""
    d = left_row.shape[1]
    tmp = np.empty(d)
    f = np.empty(d)
    first = -1
    for k in range(left_dst.size):
        if left_dst[k] < 0:
            continue
        if first < 0:
            first = k
            continue
        if d == 3:
            _encounter3(left_row, first, k, c2, s2, cs)
            _rot3(left_row, first, rot, left_g[first])
            _rot3(left_row, k, rot, left_g[k])
        else:
            _encounter8(left_row, first, k, c2, s2, cs, fk, fl, fm, fv, f)
            _rotate(left_row, first, rot[left_g[first]], tmp)
            _rotate(left_row, k, rot[left_g[k]], tmp)
        for kk in (first, k):
            for a in range(d):
                dst[left_dst[kk], a] = left_row[kk, a]
            dst_g[left_dst[kk]] = left_g[kk]
        first = -1


_count_buckets_par, _count_buckets_ser = _variants(_count_buckets_py)
# not cached on disk: a cached parallel kernel that asks for its thread id (numba.get_thread_id)
# crashed when loaded back (Numba 0.68); compiling it takes ~1 s per process
_fused3_par, _fused3_ser = _variants(_fused3_py, cache=False)



def merge_moments(parts: np.ndarray, d: int):
    """Chan et al.'s pairwise merge of per-chunk (count, mean, M2, sum|P|), in chunk order.

    Returns count (2,), mean (2, d), m2 (2, d), sum of |P| (2,).
    """
    count = np.zeros(2)
    mean = np.zeros((2, d))
    m2 = np.zeros((2, d))
    length = np.zeros(2)
    for part in parts:  # n_chunks <= 256 rows of 2 x (2 + 2d) numbers: the loop is over chunks
        nb = part[:, 0]
        new = count + nb
        safe = np.where(new > 0, new, 1.0)
        delta = part[:, 1:1 + d] - mean
        mean = mean + delta * (nb / safe)[:, None]
        m2 = m2 + part[:, 1 + d:1 + 2 * d] + delta**2 * (count * nb / safe)[:, None]
        count = new
        length = length + part[:, 1 + 2 * d]
    return count, mean, m2, length


def structure_lists(f: np.ndarray):
    """Non-zero structure constants f_klm as flat index/value arrays for the kernels."""
    k, l, m = np.nonzero(np.abs(f) > 1e-15)
    return (k.astype(np.int64), l.astype(np.int64), m.astype(np.int64), f[k, l, m].astype(np.float64))


class GasKernel:
    """Work arrays and one step of the bucket-shuffle Monte Carlo for n particles of width d.

    Between steps the rows sit in the bucket layout of the next step (``p``, ``group``,
    ``starts``): each step reads them once, bucket by bucket, and writes them once into the
    layout of the step after (two flavors; three flavors use the unfused passes). Memory: two row
    buffers, two group arrays (uint8), one index array (uint16), the K x K count tables and a
    per-thread scratch bucket: ~52 bytes per neutrino in two flavors.
    """

    def __init__(self, p: np.ndarray, group: np.ndarray, seed_key: int, rot: np.ndarray,
                 coefficients: tuple[float, float, float], structure: tuple,
                 starts: np.ndarray | None = None):
        n, d = p.shape
        self.n, self.d = n, d
        self.kbits, self.chunk = layout(n)
        n_buckets = 1 << self.kbits
        n_chunks = -(-n // self.chunk)
        self.p = np.ascontiguousarray(p, dtype=np.float64)
        self.group = np.ascontiguousarray(group, dtype=np.uint8)
        self.p_next = np.empty_like(self.p)
        self.group_next = np.empty_like(self.group)
        self.labels = np.empty(n, dtype=np.uint16)  # labels of the first scatter, then bucket indices
        self.counts = np.zeros((n_chunks, n_buckets), dtype=np.int64)
        self.offsets = np.zeros_like(self.counts)
        self.bucket_counts = np.zeros((n_buckets, n_buckets), dtype=np.int64)
        self.bucket_offsets = np.zeros((n_buckets, n_buckets), dtype=np.int64)
        self.leftover = np.full(n_buckets, -1, dtype=np.int64)
        self.left_row = np.zeros((n_buckets, d))
        self.left_g = np.zeros(n_buckets, dtype=np.uint8)
        self.left_dst = np.full(n_buckets, -1, dtype=np.int64)
        self.moments = np.zeros((n_chunks, 2, 2 + 2 * d))
        self.seed_key = np.uint64(seed_key)
        self.rot = np.ascontiguousarray(rot, dtype=np.float64)
        self.c2, self.s2, self.cs = (float(x) for x in coefficients)
        self.structure = structure
        self.scratch = np.zeros((numba.config.NUMBA_NUM_THREADS, 0, d))
        self.scratch_g = np.zeros((numba.config.NUMBA_NUM_THREADS, 0), dtype=np.uint8)
        # ``starts`` given: the rows are already in the layout of the next step (a resumed run)
        self.starts = None if starts is None else np.asarray(starts, dtype=np.int64).copy()
        if self.starts is not None and (self.starts.size != n_buckets + 1 or self.starts[-1] != n):
            raise ValueError("starts does not describe a bucket layout of this gas")

    def _layout_for(self, step: int) -> None:
        """Scatter the rows into the bucket layout of ``step`` (labels keyed by position)."""
        key_labels = np.uint64(step_keys(self.seed_key, np.uint64(step))[0])
        self.starts = np.zeros((1 << self.kbits) + 1, dtype=np.int64)
        parallel = self.n >= PARALLEL_MIN
        (_count_par if parallel else _count_ser)(self.labels, self.counts, key_labels, self.kbits, self.chunk)
        _offsets(self.counts, self.offsets, self.starts)
        (_scatter_par if parallel else _scatter_ser)(self.p, self.group, self.labels, self.offsets, self.p_next,
                                                     self.group_next, self.chunk)
        self.p, self.p_next = self.p_next, self.p
        self.group, self.group_next = self.group_next, self.group

    def step(self, step: int) -> None:
        """Advance by one step (the step number keys the random draws)."""
        if self.starts is None:
            self._layout_for(step)
        key_pair = np.uint64(step_keys(self.seed_key, np.uint64(step))[1])
        key_next = np.uint64(step_keys(self.seed_key, np.uint64(step + 1))[0])
        parallel = self.n >= PARALLEL_MIN
        if self.d != 3:  # three flavors: the bucket pass in place, then the next layout's scatter
            _buckets(self.p, self.group, self.starts, self.labels, self.leftover, key_pair, self.rot,
                     self.c2, self.s2, self.cs, *self.structure)
            _leftovers(self.p, self.group, self.leftover, self.rot, self.c2, self.s2, self.cs, *self.structure)
            self._layout_for(step + 1)
            return
        widest = int(np.max(np.diff(self.starts)))
        if widest > self.scratch.shape[1]:
            cap = max(widest, int(1.25 * self.scratch.shape[1]))
            self.scratch = np.zeros((numba.config.NUMBA_NUM_THREADS, cap, self.d))
            self.scratch_g = np.zeros((numba.config.NUMBA_NUM_THREADS, cap), dtype=np.uint8)
        next_starts = np.zeros_like(self.starts)
        (_count_buckets_par if parallel else _count_buckets_ser)(self.starts, self.bucket_counts, key_next, self.kbits)
        _offsets(self.bucket_counts, self.bucket_offsets, next_starts)
        (_fused3_par if parallel else _fused3_ser)(
            self.p, self.group, self.starts, self.bucket_offsets, self.labels, key_pair, key_next, self.kbits,
            self.p_next, self.group_next, self.scratch, self.scratch_g, self.left_row, self.left_g, self.left_dst,
            self.rot, self.c2, self.s2, self.cs)
        _fused_leftovers(self.left_row, self.left_g, self.left_dst, self.p_next, self.group_next, self.rot,
                         self.c2, self.s2, self.cs, *self.structure)
        self.p, self.p_next = self.p_next, self.p
        self.group, self.group_next = self.group_next, self.group
        self.starts = next_starts

    def statistics(self):
        """(count (2,), mean (2, d), m2 (2, d), sum |P| (2,)) of the current state."""
        chunk_moments(self.p, self.group, self.chunk, self.moments)
        return merge_moments(self.moments, self.d)
