"""Numerics of the two-group gas Monte Carlo: one step = a uniformly random perfect matching, the
encounters and the one-body precession, streamed through memory on all cores.

The matching (why it is uniform)
--------------------------------
Each step, every particle draws a bucket label k in [0, K) (K a power of two) from a
counter-based generator keyed by its position; the particles of one label form the bucket (its
group-A rows first, so no group label is stored); each bucket's perfect matching is drawn pair by
pair (the last unmatched index meets a uniformly chosen other one); the leftover of every
odd-sized bucket (a uniformly chosen member) is paired with the next one in bucket order. Labels
are i.i.d. and independent of the particles' identities, and each bucket's matching is uniform
over its members whatever order they arrived in, so the distribution of the matching is invariant
under every relabelling of the particles. The symmetric group acts transitively on perfect
matchings, hence the matching is exactly uniform (tests/oile/test_gas_kernel.py checks it by a
chi-square test over all 105 matchings of 8 particles). Steps use independent keys.

The memory layout (why it is fast)
----------------------------------
Between steps the rows sit in K blocks, one per bucket of the step before, each sorted by the
next step's column c = 2 label + g. A step takes bucket k (~16000 to 32000 rows at N = 1e6) by
reading its 2K segments, one per block and group (contiguous runs of ~N / 2K^2 rows), into a
scratch that stays in cache, with the first Strang half-rotation and the next step's labels
counted on the way; there it draws the matching and runs the encounters; it then sorts the rows
by their next column into a second scratch with the second half-rotation (and the record sums),
and copies that, sequentially, into its own block of the next layout. Per particle and step: one
read of short contiguous runs and one sequential write; no scattered writes to memory (which two
cores share badly: the earlier scatter into 2K write streams scaled by 1.4 on two cores, this
layout by ~1.75) and no counting pass (the counts are made in cache).

Determinism: labels, matchings and reductions depend only on (seed, step, position) and on work
partitions fixed by N (never by the thread count), so a run is bit-identical on any number of
threads and after a resume (a resumed gas is one block whose columns are the segments in block
order: the next step gathers the same rows in the same order; see GasKernel.compact).

The generator is SplitMix64's output function applied to key + (counter + 1) * golden gamma
(Steele, Lea & Flood, OOPSLA 2014): a counter-based stream whose state is two integers.
"""

from __future__ import annotations

import math
import types

import numba
import numpy as np
from numba import prange

from nupair.oile.encounter import encounter_pair3
from nupair import validation as _v

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S32 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(32)
_MASK32 = np.uint64(0xFFFFFFFF)
_LEFTOVER_SALT = np.uint64(0xD1B54A32D192ED03)

#: Bucket size ~ BUCKET_TARGET..2 BUCKET_TARGET particles (two-flavor rows: 0.4-0.8 MB per scratch,
#: in L2/L3; measured faster than smaller buckets).
BUCKET_TARGET = 16384
#: Each bucket is gathered from 2K segments (one per block and group) of ~n / (2 K^2) rows: K stays
#: small enough that they average at least SEGMENT_TARGET rows (contiguous runs the prefetcher follows).
SEGMENT_TARGET = 16
#: Largest number of buckets (labels are 16-bit fields of the draws).
MAX_BUCKETS = 4096
#: Largest gas (bucket-local indices are uint32, the segment tables 8 (2K + 1) K bytes).
MAX_PARTICLES = 1 << 27
#: Particles per chunk of the initial counting scatter (fixed by N, not by threads).
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
    """Uniform integer in [0, m), 1 <= m < 2^32, from the high 32 bits of draw ``counter``."""
    return _below_from(_draw(key, counter) >> _S32, key, counter, m)


@numba.njit(inline="always")
def _below_from(x, key, counter, m):
    """Uniform integer in [0, m) from 32 random bits x: Lemire's multiply-shift with rejection
    (exact; the modulo is computed only in the rare case that may need a redraw, from the retry
    streams key ^ r M2 at ``counter``)."""
    mm = np.uint64(m)
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
    while (buckets < MAX_BUCKETS and n // (2 * buckets) >= BUCKET_TARGET
           and n // (8 * buckets * buckets) >= SEGMENT_TARGET):
        buckets *= 2
    chunk = max(MIN_CHUNK, 4 * -(-n // 1024))
    if n > MAX_PARTICLES:
        raise ValueError(_v.refused(f"n={n}", f"the gas kernel handles at most {MAX_PARTICLES} neutrinos"))
    return int(math.log2(buckets)), chunk


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


_DIRECTION_SALT = np.uint64(0x2545F4914F6CDD1D)
_UNIT53 = 1.0 / 9007199254740992.0  # 2^-53


@numba.njit(inline="always")
def _pair_coefficients(coef, key_dir, counter):
    """(c^2, s^2, c s) of one encounter from the packed coefficients ``coef`` (see
    :func:`pack_coefficients`): span = coef[3] = 0 keeps the constants coef[:3] (every
    gamma_ij = gamma); span > 0 draws gamma_ij = span u, u uniform on [0, 1) from draw ``counter``
    of stream ``key_dir`` (isotropic relative directions: span = 2 gamma, nupair.oile.directions),
    and evaluates cos and sin of it by their Taylor polynomials in g^2, truncated where the next
    term is below 2^-60 (exact to rounding on [0, span]; a few multiplications instead of two
    library calls, which would cost the kernel a third of its throughput)."""
    span = coef[3]
    if span == 0.0:
        return coef[0], coef[1], coef[2]
    u = np.float64(_draw(key_dir, counter) >> np.uint64(11)) * _UNIT53
    g = span * u
    k = np.int64(coef[4])
    if k == 0:  # a wide span: the library's range reduction
        c = math.cos(g)
        s = math.sin(g)
        return c * c, s * s, c * s
    g2 = g * g
    c = coef[5 + k - 1]
    s = coef[5 + 2 * k - 1]
    for j in range(k - 2, -1, -1):
        c = c * g2 + coef[5 + j]
        s = s * g2 + coef[5 + k + j]
    s *= g
    return c * c, s * s, c * s


def pack_coefficients(coefficients, span: float) -> np.ndarray:
    """The kernels' packed encounter coefficients: (c^2, s^2, c s, span, K, a_0..a_{K-1},
    b_0..b_{K-1}) with cos g = sum_j a_j g^(2j), sin g = g sum_j b_j g^(2j) (Taylor, K terms: the
    first omitted term is below 2^-60 for g <= span). Beyond span = 4 the terms would cancel
    (K = 0: the kernels call cos and sin instead)."""
    if span > 4.0:
        return np.array([*(float(x) for x in coefficients), float(span), 0.0])
    k = 1
    if span > 0.0:
        while span ** (2 * k) / math.factorial(2 * k) >= 2.0 ** -60 or span ** (2 * k + 1) / math.factorial(2 * k + 1) >= 2.0 ** -60:
            k += 1
    a = [(-1) ** j / math.factorial(2 * j) for j in range(k)]
    b = [(-1) ** j / math.factorial(2 * j + 1) for j in range(k)]
    return np.array([*(float(x) for x in coefficients), float(span), float(k), *a, *b])


@numba.njit(cache=True)
def direction_key(seed_key, step):
    """Key of the per-encounter direction draws of one step (independent of the matching keys)."""
    labels, _ = step_keys(seed_key, step)
    return _mix64(labels ^ _DIRECTION_SALT)


@numba.njit(inline="always")
def _swap_partner(idx, j, r):
    """Uniform perfect matching, one pair at a time: the index at position j meets the one at a
    uniformly chosen position r of [0, j), which is moved to j - 1."""
    t = idx[j - 1]
    idx[j - 1] = idx[r]
    idx[r] = t


@numba.njit(inline="always")
def _label_field(bits, i, shift):
    """Bucket label of position i: the top bits of 16-bit field i % 4 of the draw for i // 4."""
    return np.int64(((bits >> np.uint64(16 * (i % 4))) & np.uint64(0xFFFF)) >> shift)


def _count_initial_py(group, counts, key, kbits, chunk):
    """First layout: per chunk of the initial array, counts of (label, group) columns 2 label + g
    (labels keyed by position, four 16-bit fields per draw; ``chunk`` is a multiple of 4)."""
    n = group.size
    shift = np.uint64(16 - kbits)
    for c in prange(counts.shape[0]):
        lo = c * chunk
        hi = min(n, lo + chunk)
        for b in range(counts.shape[1]):
            counts[c, b] = 0
        bits = np.uint64(0)
        for i in range(lo, hi):
            if i == lo or i % 4 == 0:
                bits = _draw(key, i // 4)
            counts[c, 2 * _label_field(bits, i, shift) + np.int64(group[i])] += 1


def _scatter_initial_py(p, group, offsets, key, kbits, chunk, out):
    n, d = p.shape
    shift = np.uint64(16 - kbits)
    for c in prange(offsets.shape[0]):
        lo = c * chunk
        hi = min(n, lo + chunk)
        bits = np.uint64(0)
        for i in range(lo, hi):
            if i == lo or i % 4 == 0:
                bits = _draw(key, i // 4)
            col = 2 * _label_field(bits, i, shift) + np.int64(group[i])
            slot = offsets[c, col]
            offsets[c, col] = slot + 1
            for a in range(d):
                out[slot, a] = p[i, a]


@numba.njit(inline="always")
def _rotate_rows(src, s0, dst, d0, count, rot, g, tmp):
    """dst[d0 + t] = R_g src[s0 + t] for t < count (the coefficients stay in registers for d = 3)."""
    d = src.shape[1]
    if d == 3:
        r00, r01, r02 = rot[g, 0, 0], rot[g, 0, 1], rot[g, 0, 2]
        r10, r11, r12 = rot[g, 1, 0], rot[g, 1, 1], rot[g, 1, 2]
        r20, r21, r22 = rot[g, 2, 0], rot[g, 2, 1], rot[g, 2, 2]
        for t in range(count):
            x, y, z = src[s0 + t, 0], src[s0 + t, 1], src[s0 + t, 2]
            dst[d0 + t, 0] = r00 * x + r01 * y + r02 * z
            dst[d0 + t, 1] = r10 * x + r11 * y + r12 * z
            dst[d0 + t, 2] = r20 * x + r21 * y + r22 * z
    else:
        for t in range(count):
            for a in range(d):
                tmp[a] = src[s0 + t, a]
            for a in range(d):
                acc = 0.0
                for b in range(d):
                    acc += rot[g, a, b] * tmp[b]
                dst[d0 + t, a] = acc


@numba.njit(inline="always")
def _accumulate(rows, i, acc, k, g, shift_c):
    """Add row i to the record sums of bucket k, group g (see :func:`_fused_py`)."""
    d = rows.shape[1]
    acc[k, g, 0] += 1.0
    s = 0.0
    for a in range(d):
        u = rows[i, a] - shift_c[g, a]
        acc[k, g, 1 + a] += u
        acc[k, g, 1 + d + a] += u * u
        s += rows[i, a] * rows[i, a]
    acc[k, g, 1 + 2 * d] += math.sqrt(s)


@numba.njit(cache=True)
def _accumulate_leftovers(dst, left_g, left_dst, acc, shift_c):
    for k in range(left_dst.size):
        if left_dst[k] >= 0:
            _accumulate(dst, left_dst[k], acc, k, np.int64(left_g[k]), shift_c)


@numba.njit(inline="always")
def _gather(src, s0, count, sp, t0, rot, g, tmp, cl, idx, ns, lo, key_next, shift, bits):
    """sp[t0 + i] = R_g src[s0 + i] for i < count, with each row's next-step column (label keyed
    by its position lo + t in the next layout) stored in cl and counted one column up in ns (a
    prefix sum turns the counts into starts). One loop: the arithmetic hides behind the loads.
    Returns the last draw (four labels per draw)."""
    d = src.shape[1]
    if d != 3:
        _rotate_rows(src, s0, sp, t0, count, rot, g, tmp)
    r00, r01, r02 = rot[g, 0, 0], rot[g, 0, 1], rot[g, 0, 2]
    r10, r11, r12 = rot[g, 1, 0], rot[g, 1, 1], rot[g, 1, 2]
    r20, r21, r22 = rot[g, 2, 0], rot[g, 2, 1], rot[g, 2, 2]
    for i in range(count):
        t = t0 + i
        if d == 3:
            x, y, z = src[s0 + i, 0], src[s0 + i, 1], src[s0 + i, 2]
            sp[t, 0] = r00 * x + r01 * y + r02 * z
            sp[t, 1] = r10 * x + r11 * y + r12 * z
            sp[t, 2] = r20 * x + r21 * y + r22 * z
        pos = lo + t
        if t == 0 or pos % 4 == 0:
            bits = _draw(key_next, pos // 4)
        col = 2 * _label_field(bits, pos, shift) + g
        cl[t] = col
        ns[col + 1] += 1
        idx[t] = t
    return bits


@numba.njit(inline="always")
def _scatter3(sp, sp2, cl, ns, i0, i1, local_left, rot, g, record, shift_c):
    """Two flavors: rows i0..i1 of group g (except the parked leftover) with the second half
    rotation to their column slots of sp2 (cursors ns advance); with ``record``, returns the
    shifted record sums (count, sum u (3), sum u^2 (3), sum |x|), u = x - shift_c[g], in registers."""
    r00, r01, r02 = rot[g, 0, 0], rot[g, 0, 1], rot[g, 0, 2]
    r10, r11, r12 = rot[g, 1, 0], rot[g, 1, 1], rot[g, 1, 2]
    r20, r21, r22 = rot[g, 2, 0], rot[g, 2, 1], rot[g, 2, 2]
    cx, cy, cz = shift_c[g, 0], shift_c[g, 1], shift_c[g, 2]
    n_rec = s_x = s_y = s_z = q_x = q_y = q_z = s_len = 0.0
    for i in range(i0, i1):
        col = np.int64(cl[i])
        slot = ns[col]
        ns[col] = slot + 1
        if i == local_left:
            continue
        x, y, z = sp[i, 0], sp[i, 1], sp[i, 2]
        ox = r00 * x + r01 * y + r02 * z
        oy = r10 * x + r11 * y + r12 * z
        oz = r20 * x + r21 * y + r22 * z
        sp2[slot, 0] = ox
        sp2[slot, 1] = oy
        sp2[slot, 2] = oz
        if record:
            ux, uy, uz = ox - cx, oy - cy, oz - cz
            n_rec += 1.0
            s_x += ux
            s_y += uy
            s_z += uz
            q_x += ux * ux
            q_y += uy * uy
            q_z += uz * uz
            s_len += math.sqrt(ox * ox + oy * oy + oz * oz)
    return n_rec, s_x, s_y, s_z, q_x, q_y, q_z, s_len


@numba.njit(cache=True)
def _bucket_step(src, bounds, seg, k, lo, m, ns, key_pair, key_next, shift, dst, sp, sp2, idx, cl, left_row,
                 left_g, left_dst, rot, coef, key_dir, fk, fl, fm, fv, record, shift_c, acc, tmp, f):
    """Bucket k of one step (see :func:`_step_py`). The pair starting at local position i draws
    its direction (if the law draws) from counter lo + i: keyed by position, never by thread."""
    d = src.shape[1]
    for c in range(ns.size):
        ns[c] = 0
    t = 0
    n_a = 0
    bits = np.uint64(0)
    for g in range(2):
        for b in range(seg.shape[0]):
            s0 = bounds[b] + seg[b, 2 * k + g]
            count = bounds[b] + seg[b, 2 * k + g + 1] - s0
            bits = _gather(src, s0, count, sp, t, rot, g, tmp, cl, idx, ns, lo, key_next, shift, bits)
            t += count
        if g == 0:
            n_a = t
    for c in range(1, ns.size):
        ns[c] += ns[c - 1]
    end, local_left = m, -1
    if m % 2 == 1:
        r = _below(key_pair ^ _LEFTOVER_SALT, lo + m - 1, m)
        idx[m - 1], idx[r] = idx[r], idx[m - 1]
        end, local_left = m - 1, np.int64(idx[m - 1])
    # the matching first (a chain of dependent draws and swaps in L1), then the encounters,
    # whose loads are independent of each other and overlap in the pipeline
    for j in range(end - 1, 0, -4):  # two partners per 64-bit draw: its high and low halves
        bits = _draw(key_pair, lo + j)
        _swap_partner(idx, j, _below_from(bits >> _S32, key_pair, lo + j, j))
        if j > 2:
            _swap_partner(idx, j - 2, _below_from(bits & _MASK32, key_pair, lo + j - 2, j - 2))
    if d == 3:
        if coef[3] == 0.0:  # one gamma for every pair: the coefficients stay in registers
            c2, s2, cs = coef[0], coef[1], coef[2]
            for i in range(0, end, 2):
                encounter_pair3(sp, np.int64(idx[i]), np.int64(idx[i + 1]), c2, s2, cs)
        else:
            for i in range(0, end, 2):
                c2, s2, cs = _pair_coefficients(coef, key_dir, lo + i)
                encounter_pair3(sp, np.int64(idx[i]), np.int64(idx[i + 1]), c2, s2, cs)
    else:
        for i in range(0, end, 2):
            c2, s2, cs = _pair_coefficients(coef, key_dir, lo + i)
            _encounter8(sp, np.int64(idx[i]), np.int64(idx[i + 1]), c2, s2, cs, fk, fl, fm, fv, f)
    left_dst[k] = -1
    if local_left >= 0:  # parked before its second half rotation; paired across buckets later
        col = np.int64(cl[local_left])
        for a in range(d):
            left_row[k, a] = sp[local_left, a]
        left_g[k] = col % 2
        slot = ns[col]  # its slot: after the rows of its column that precede it
        for i in range(local_left):
            if cl[i] == col:
                slot += 1
        left_dst[k] = lo + slot
    if record:
        for g in range(2):
            for a in range(acc.shape[2]):
                acc[k, g, a] = 0.0
    for g in range(2):
        i0, i1 = (0, n_a) if g == 0 else (n_a, m)
        if d == 3:
            if record:
                sums = _scatter3(sp, sp2, cl, ns, i0, i1, local_left, rot, g, True, shift_c)
                for a in range(8):
                    acc[k, g, a] = sums[a]
            else:
                _scatter3(sp, sp2, cl, ns, i0, i1, local_left, rot, g, False, shift_c)
        else:
            for i in range(i0, i1):
                col = np.int64(cl[i])
                slot = ns[col]
                ns[col] = slot + 1
                if i != local_left:
                    _rotate_rows(sp, i, sp2, slot, 1, rot, g, tmp)
                    if record:
                        _accumulate(sp2, slot, acc, k, g, shift_c)
    for c in range(ns.size - 1, 0, -1):  # the cursors ended one column on: back to starts
        ns[c] = ns[c - 1]
    ns[0] = 0
    if d == 3:  # one sequential write per row (the leftover's slot is filled later)
        for i in range(m):
            dst[lo + i, 0] = sp2[i, 0]
            dst[lo + i, 1] = sp2[i, 1]
            dst[lo + i, 2] = sp2[i, 2]
    else:
        for i in range(m):
            for a in range(d):
                dst[lo + i, a] = sp2[i, a]


def _step_py(src, bounds, seg, new_bounds, new_seg, key_pair, key_next, kbits, dst, scratch, scratch2, idx_s,
             col_s, left_row, left_g, left_dst, rot, coef, key_dir, fk, fl, fm, fv, record, shift_c, acc):
    """One step: every bucket of this step gathered, matched, encountered, precessed and written,
    sorted by its next-step column, to its own block of the next layout.

    Layouts: block b of ``src`` is [bounds[b], bounds[b+1]); inside it, the rows of column
    c = 2 label + g (label: bucket of this step, g: group) are [seg[b, c], seg[b, c+1]) from the
    block's start. Bucket k of this step is made of the segments (b, 2k) of every block (group A),
    then (b, 2k + 1) (group B): short contiguous reads. Per bucket (scratch per worker; worker w
    takes buckets w, w + W, ...: the results do not depend on who computes them): gather with the
    first half rotation, the next step's labels (keyed by the row's position lo + t in the next
    layout) counted on the way; the bucket's matching pair by pair (an odd bucket's leftover, a
    uniformly chosen member, is parked in ``left_row`` with its group and slot, before its second
    half rotation); the encounters; every row with its second half rotation into its column slot
    of a second scratch (in cache); one sequential copy into ``dst``[lo:lo+m]. ``new_seg[k]`` gets
    the block's column starts. The source is never written; each bucket writes only its own
    block. With ``record``, the rows written are also summed per bucket and group into ``acc``
    (count, sum of x - c, sum of (x - c)^2, sum |x|; c = ``shift_c``[g], the last recorded mean,
    which keeps the spreads accurate): the records cost no extra pass over memory."""
    d = src.shape[1]
    shift = np.uint64(16 - kbits)
    n_buckets = new_seg.shape[0]
    workers = scratch.shape[0]
    for w in prange(workers):
        tmp = np.empty(d)
        f = np.empty(d)
        for k in range(w * n_buckets // workers, (w + 1) * n_buckets // workers):
            lo = new_bounds[k]
            _bucket_step(src, bounds, seg, k, lo, new_bounds[k + 1] - lo, new_seg[k], key_pair, key_next, shift,
                         dst, scratch[w], scratch2[w], idx_s[w], col_s[w], left_row, left_g, left_dst, rot, coef,
                         key_dir, fk, fl, fm, fv, record, shift_c, acc, tmp, f)


@numba.njit(cache=True)
def _fused_leftovers(left_row, left_g, left_dst, dst, rot, coef, key_dir, fk, fl, fm, fv):
    """Pair the parked leftovers in bucket order (encounter, second half rotation) and write them
    to their slots of the next layout. The pair closed at bucket k draws its direction from
    counter n + k (the in-bucket pairs use counters below n)."""
    d = left_row.shape[1]
    n = dst.shape[0]
    tmp = np.empty(d)
    f = np.empty(d)
    first = -1
    for k in range(left_dst.size):
        if left_dst[k] < 0:
            continue
        if first < 0:
            first = k
            continue
        c2, s2, cs = _pair_coefficients(coef, key_dir, n + k)
        if d == 3:
            encounter_pair3(left_row, first, k, c2, s2, cs)
        else:
            _encounter8(left_row, first, k, c2, s2, cs, fk, fl, fm, fv, f)
        for kk in (first, k):
            _rotate_rows(left_row, kk, dst, left_dst[kk], 1, rot, np.int64(left_g[kk]), tmp)
        first = -1


def _bucket_sizes_py(bounds, seg, sizes):
    """sizes[k, g]: rows of bucket k (this step's label), group g, over all blocks."""
    for k in prange(sizes.shape[0]):
        for g in range(2):
            s = 0
            for b in range(seg.shape[0]):
                s += seg[b, 2 * k + g + 1] - seg[b, 2 * k + g]
            sizes[k, g] = s


def _compact_py(src, bounds, seg, starts, dst):
    """Column-major copy: column c of the single-block layout holds the segments (b, c) of every
    block in block order, at starts[c]. The next step gathers the same rows in the same order."""
    for c in prange(starts.size - 1):
        t = starts[c]
        for b in range(seg.shape[0]):
            for i in range(bounds[b] + seg[b, c], bounds[b] + seg[b, c + 1]):
                for a in range(src.shape[1]):
                    dst[t, a] = src[i, a]
                t += 1


@numba.njit(cache=True)
def _fill_groups(bounds, seg, out):
    """Group label of every row of a block layout (the parity of its column)."""
    for b in range(seg.shape[0]):
        for c in range(seg.shape[1] - 1):
            out[bounds[b] + seg[b, c]:bounds[b] + seg[b, c + 1]] = c % 2


def block_moments_py(p, bounds, seg, out):
    """Per block and group: count, mean (d), sum of squared deviations from that mean (d), sum |P|;
    ``out`` (n_blocks, 2, 2 + 2 d). A group's rows in a block are its columns' segments. Two passes
    (accurate for tiny spreads); merged in block order by :func:`merge_moments`."""
    d = p.shape[1]
    n_cols = seg.shape[1] - 1
    for b in prange(seg.shape[0]):
        acc = np.zeros(2 + 2 * d)
        for g in range(2):
            acc[:] = 0.0
            length = 0.0
            for c in range(g, n_cols, 2):
                for i in range(bounds[b] + seg[b, c], bounds[b] + seg[b, c + 1]):
                    s = 0.0
                    for a in range(d):
                        acc[1 + a] += p[i, a]
                        s += p[i, a] * p[i, a]
                    length += math.sqrt(s)
                    acc[0] += 1.0
            if acc[0] > 0:
                for a in range(d):
                    acc[1 + a] /= acc[0]
            for c in range(g, n_cols, 2):
                for i in range(bounds[b] + seg[b, c], bounds[b] + seg[b, c + 1]):
                    for a in range(d):
                        x = p[i, a] - acc[1 + a]
                        acc[1 + d + a] += x * x
            acc[1 + 2 * d] = length
            for a in range(2 + 2 * d):
                out[b, g, a] = acc[a]


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


_count_initial = _variants(_count_initial_py)
_scatter_initial = _variants(_scatter_initial_py)
_moments = _variants(block_moments_py)
_bucket_sizes = _variants(_bucket_sizes_py)
_compact = _variants(_compact_py)
_step = _variants(_step_py)


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


def _ordered_sum(parts: np.ndarray) -> np.ndarray:
    """Sum over the first axis in a fixed order (bucket 0, 1, ...): the same bits on any machine
    and thread count."""
    total = np.zeros(parts.shape[1:])
    for part in parts:  # n_buckets <= 4096 small rows
        total = total + part
    return total


def structure_lists(f: np.ndarray):
    """Non-zero structure constants f_klm as flat index/value arrays for the kernels."""
    k, l, m = np.nonzero(np.abs(f) > 1e-15)
    return (k.astype(np.int64), l.astype(np.int64), m.astype(np.int64), f[k, l, m].astype(np.float64))


class GasKernel:
    """Work arrays and one step of the bucket-shuffle Monte Carlo for n particles of width d.

    Between steps the rows sit in blocks (one per bucket of the step before), each sorted by the
    next step's column c = 2 label + g: block b is [bounds[b], bounds[b+1]) and its column c is
    [seg[b, c], seg[b, c+1]) from the block's start, so no group label is stored. A fresh or
    resumed gas is a single block (``starts`` = its column starts). Each step reads every row
    once (the bucket's segments, short contiguous runs) and writes it once, sequentially, into its
    bucket's block. Memory: two row buffers, the segment tables (8 (2K + 1) K bytes) and
    per-thread scratch buckets: ~50 bytes per neutrino in two flavors.
    """

    def __init__(self, p: np.ndarray, group: np.ndarray, seed_key: int, rot: np.ndarray,
                 coefficients: tuple[float, float, float], structure: tuple,
                 starts: np.ndarray | None = None, first_step: int = 1, direction_span: float = 0.0):
        n, d = p.shape
        self.n, self.d = n, d
        self.kbits, self.chunk = layout(n)
        n_buckets = 1 << self.kbits
        self.seed_key = np.uint64(seed_key)
        self.rot = np.ascontiguousarray(rot, dtype=np.float64)
        # (c^2, s^2, c s, span): span > 0 draws gamma_ij = span u per encounter (see _pair_coefficients)
        self.coef = pack_coefficients(coefficients, float(direction_span))
        self.structure = structure
        self.parallel = n >= PARALLEL_MIN
        self.left_row = np.zeros((n_buckets, d))
        self.left_g = np.zeros(n_buckets, dtype=np.uint8)
        self.left_dst = np.full(n_buckets, -1, dtype=np.int64)
        self.moments = np.zeros((n_buckets, 2, 2 + 2 * d))
        self.sizes = np.zeros((n_buckets, 2), dtype=np.int64)
        self.shift_c = np.zeros((2, d))  # the last recorded group means (shift of the record sums)
        self._scratch_rows = -1
        v = 1 if self.parallel else 0
        if starts is not None:  # a resumed run: the rows are already in the layout of first_step
            self.p = np.ascontiguousarray(p, dtype=np.float64)
            starts = np.asarray(starts, dtype=np.int64)
            if starts.size != 2 * n_buckets + 1 or starts[0] != 0 or starts[-1] != n or np.any(np.diff(starts) < 0):
                raise ValueError("starts does not describe a bucket layout of this gas")
        else:  # lay the initial state out for first_step (labels keyed by initial position)
            n_chunks = -(-n // self.chunk)
            counts = np.zeros((n_chunks, 2 * n_buckets), dtype=np.int64)
            offsets = np.zeros_like(counts)
            starts = np.zeros(2 * n_buckets + 1, dtype=np.int64)
            key = np.uint64(step_keys(self.seed_key, np.uint64(first_step))[0])
            g = np.ascontiguousarray(group, dtype=np.uint8)
            _count_initial[1 - v](g, counts, key, self.kbits, self.chunk)
            _offsets(counts, offsets, starts)
            self.p = np.empty((n, d))
            _scatter_initial[1 - v](np.ascontiguousarray(p, dtype=np.float64), g, offsets, key, self.kbits,
                                    self.chunk, self.p)
        self.bounds = np.array([0, n], dtype=np.int64)
        self.seg = starts.reshape(1, -1).copy()
        self.p_next = np.empty_like(self.p)
        self._seg_spare = np.zeros((n_buckets, 2 * n_buckets + 1), dtype=np.int64)

    def _ensure_scratch(self, rows: int):
        """Per-thread scratch for buckets of up to ``rows`` rows (grown by 25 % steps)."""
        if rows <= self._scratch_rows:
            return
        cap = max(rows, int(1.25 * max(self._scratch_rows, 0)))
        threads = numba.config.NUMBA_NUM_THREADS
        self.scratch = np.zeros((threads, cap, self.d))
        self.scratch2 = np.zeros((threads, cap, self.d))
        self.idx = np.zeros((threads, cap), dtype=np.uint32)
        self.cols = np.zeros((threads, cap), dtype=np.uint16)
        self._scratch_rows = cap

    def step(self, step: int, record: bool = False):
        """Advance by one step (the step number keys the random draws). With ``record``, return
        the statistics of the new state (as :meth:`statistics`), summed during the step."""
        v = 0 if self.parallel else 1
        key_pair = np.uint64(step_keys(self.seed_key, np.uint64(step))[1])
        key_next = np.uint64(step_keys(self.seed_key, np.uint64(step + 1))[0])
        key_dir = np.uint64(direction_key(self.seed_key, np.uint64(step)))
        _bucket_sizes[v](self.bounds, self.seg, self.sizes)
        per_bucket = self.sizes.sum(axis=1)
        self._ensure_scratch(int(per_bucket.max()))
        new_bounds = np.zeros(per_bucket.size + 1, dtype=np.int64)
        np.cumsum(per_bucket, out=new_bounds[1:])
        new_seg = self._seg_spare
        _step[v](self.p, self.bounds, self.seg, new_bounds, new_seg, key_pair, key_next, self.kbits, self.p_next,
                 self.scratch, self.scratch2, self.idx, self.cols, self.left_row, self.left_g, self.left_dst,
                 self.rot, self.coef, key_dir, *self.structure, record, self.shift_c, self.moments)
        _fused_leftovers(self.left_row, self.left_g, self.left_dst, self.p_next, self.rot, self.coef, key_dir,
                         *self.structure)
        self.p, self.p_next = self.p_next, self.p
        self._seg_spare = self.seg if self.seg.shape == new_seg.shape else np.zeros_like(new_seg)
        self.bounds, self.seg = new_bounds, new_seg
        if not record:
            return None
        _accumulate_leftovers(self.p, self.left_g, self.left_dst, self.moments, self.shift_c)
        return self._merge_shifted()

    @property
    def starts(self) -> np.ndarray:
        """Column starts (2K + 1,) of the single-block layout of the current rows (see :meth:`compact`)."""
        col = self.seg[:, 1:] - self.seg[:, :-1]
        return np.concatenate([[0], np.cumsum(col.sum(axis=0))]).astype(np.int64)

    def compact(self):
        """Rearrange the rows into the single-block layout (column c at ``starts``[c]): the same
        rows the next step would gather, in the same order, so a run resumed from it (``starts``)
        continues bit-identically. One pass over memory."""
        if self.seg.shape[0] == 1:
            return
        starts = self.starts
        _compact[0 if self.parallel else 1](self.p, self.bounds, self.seg, starts, self.p_next)
        self.p, self.p_next = self.p_next, self.p
        self.bounds = np.array([0, self.n], dtype=np.int64)
        self.seg = starts.reshape(1, -1)

    def _merge_shifted(self):
        """Merge the per-bucket shifted sums in bucket order: mean = c + S1/n, M2 = S2 - S1^2/n."""
        d = self.d
        total = _ordered_sum(self.moments)
        count = total[:, 0]
        s1, s2 = total[:, 1:1 + d], total[:, 1 + d:1 + 2 * d]
        safe = np.where(count > 0, count, 1.0)[:, None]
        mean = self.shift_c + s1 / safe
        m2 = np.maximum(s2 - s1 * s1 / safe, 0.0)
        self.shift_c = np.ascontiguousarray(mean)
        return count, mean, m2, total[:, 1 + 2 * d]

    @property
    def group(self) -> np.ndarray:
        """Group label (0 = A, 1 = B) of every row of the current layout (built on demand)."""
        g = np.empty(self.n, dtype=np.uint8)
        _fill_groups(self.bounds, self.seg, g)
        return g

    def statistics(self):
        """(count (2,), mean (2, d), m2 (2, d), sum |P| (2,)) of the current state."""
        parts = self.moments[:self.seg.shape[0]]
        _moments[0 if self.parallel else 1](self.p, self.bounds, self.seg, parts)
        count, mean, m2, length = merge_moments(parts, self.d)
        self.shift_c = np.ascontiguousarray(mean)
        return count, mean, m2, length
