/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The counters: exact counts per (cgroup, capability, verdict, audit, user namespace depth,
 * origin), kept in the kernel and read by user space at scrape time. The workload's common check
 * costs one inlined array lookup, a compare and an atomic add; what the blocks cannot take spills
 * into a hash, and a full hash into an array without cgroups, so totals stay exact.
 */
#ifndef __CAPABILITY_EXPORTER_COUNTS_BPF_H
#define __CAPABILITY_EXPORTER_COUNTS_BPF_H

#include "shared.bpf.h"

/*
 * One block of counters per cgroup, direct-mapped by cgroup id (capable.h): the common check
 * costs one inlined array lookup, a compare and an atomic add (bench/RESULTS.md). Preallocated,
 * so its size is what it holds: the exporter sets the number of slots before load, and user
 * space reads it through its memory mapping.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct cgroup_block);
} cgroup_counts SEC(".maps");

/*
 * What the blocks cannot take: a cgroup whose slot another holds, a capability past BLOCK_CAPS,
 * a nested user namespace, the runtime's checks. No preallocation, so an idle node pays for what
 * it uses, not for max_entries (a preallocated 1M-entry map once cost another tool ~44 MiB per
 * instance). The exporter may resize it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct count_key);
	__type(value, __u64);
} counts SEC(".maps");

/*
 * The bound on counts' entries, kept here because the kernel's own is loose: it compares the
 * number of entries with max_entries, then adds one, so inserts on several CPUs at once (or
 * interleaved on one, see spill()) can all pass; 66 entries were seen in a 64-entry map. [0] is
 * the entries the program ever added, each reserved before its insert; [1] how many it may have
 * added: the capacity plus each entry user space deleted, written by user space alone, before
 * attach and after each deletion.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counts_used SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OVERFLOW_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts_overflow SEC(".maps");

/* Room for one more entry in counts, taken atomically; false when it is full. */
static __always_inline bool reserve_spill_entry(void)
{
	__u32 added_index = 0, limit_index = 1;
	__u64 *added = bpf_map_lookup_elem(&counts_used, &added_index);
	__u64 *limit = bpf_map_lookup_elem(&counts_used, &limit_index);

	if (!added || !limit)
		return false;
	if (__sync_fetch_and_add(added, 1) < *(volatile __u64 *)limit)
		return true;
	__sync_fetch_and_add(added, -1);
	return false;
}

static __always_inline void release_spill_entry(void)
{
	__u32 added_index = 0;
	__u64 *added = bpf_map_lookup_elem(&counts_used, &added_index);

	if (added)
		__sync_fetch_and_add(added, -1);
}

/*
 * Counts n checks in the spill hash; false when it could not have an entry for them: full, or,
 * the hash not being preallocated, the kernel's cache of free elements empty on this CPU for the
 * moment (it refills it from irq_work, which a program run with interrupts off must wait for). The
 * percpu value needs an atomic add all the same: on preemptible kernels BPF programs run with
 * migration, not preemption, disabled, so two tasks on one CPU can interleave.
 */
static __always_inline bool spill(const struct count_key *key, __u64 n)
{
	__u64 *value;
	long err;

	value = bpf_map_lookup_elem(&counts, key);
	if (value) {
		__sync_fetch_and_add(value, n);
		return true;
	}
	if (reserve_spill_entry()) {
		err = bpf_map_update_elem(&counts, key, &n, BPF_NOEXIST);
		if (err == 0)
			return true;
		release_spill_entry();
	}
	/* Another CPU inserted the same key first, or counts is full. */
	value = bpf_map_lookup_elem(&counts, key);
	if (value) {
		__sync_fetch_and_add(value, n);
		return true;
	}
	return false;
}

/* What the spill hash could not take: counted without its cgroup, so totals stay exact. */
static __always_inline void overflow(const struct count_key *key, __u64 n)
{
	__u32 index = OVERFLOW_INDEX(key->cap, key->verdict, key->audit);
	__u64 *overflowed = bpf_map_lookup_elem(&counts_overflow, &index);

	bump(&stats, STAT_COUNTS_MAP_FULL);
	if (overflowed)
		__sync_fetch_and_add(overflowed, n);
}

/* Counts n checks under their cgroup; with can_wait, false instead of overflowing. */
static __always_inline bool count_n(__u64 cgroup_id, int cap, __u8 verdict, __u8 audit,
				    __u8 userns_level, __u8 origin, __u64 n, bool can_wait)
{
	struct count_key key = {};

	key.cgroup_id = cgroup_id;
	key.cap = (__u32)cap;
	key.verdict = verdict;
	key.audit = audit;
	key.userns_level = userns_level;
	key.origin = origin;
	if (spill(&key, n))
		return true;
	if (can_wait)
		return false;
	overflow(&key, n);
	return true;
}

/* One check: in the cgroup's block when it can be, else spilled. */
static __always_inline void count(__u64 cgroup_id, int cap, __u8 verdict, __u8 audit,
				  __u8 userns_level, __u8 origin)
{
	__u32 slot = (__u32)cgroup_id & config.slot_mask;
	__u32 index = COUNTER_INDEX((__u32)cap, verdict, audit);
	struct cgroup_block *block;
	__u64 holder;

	/* Keeps the bound for the verifier: clang may otherwise test cap and use the product. */
	asm volatile("" : "+r"(index));
	block = bpf_map_lookup_elem(&cgroup_counts, &slot);
	if (!block || (__u32)cap >= BLOCK_CAPS || index >= BLOCK_COUNTERS || userns_level || origin ||
	    verdict > VERDICT_DENY)
		goto spill;
	holder = block->cgroup_id;
	if (holder != cgroup_id) {
		if (holder != 0)
			goto spill;
		/* A free slot: claim it, unless another CPU claimed it for another cgroup first. */
		holder = __sync_val_compare_and_swap(&block->cgroup_id, 0, cgroup_id);
		if (holder != 0 && holder != cgroup_id)
			goto spill;
	}
	__sync_fetch_and_add(&block->counts[index], 1);
	return;
spill:
	count_n(cgroup_id, cap, verdict, audit, userns_level, origin, 1, false);
}

#endif /* __CAPABILITY_EXPORTER_COUNTS_BPF_H */
