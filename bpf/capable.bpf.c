// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Counts every capability check the kernel makes, in the kernel, per
 * (cgroup, capability, verdict, audit). User space reads the counts at scrape time, so the
 * counters are exact at any rate and nothing crosses into user space per check. When asked
 * (trace, OTLP), it also sends check events, folded per time window (events.bpf.h).
 *
 * Two hooks, one attached at a time (the exporter picks at run time):
 *   tp_btf/cap_capable  Linux >= 6.14 ("security: add trace event for cap_capable"); no opts,
 *                       so audit is derived from the callers' frames on the kernel stack.
 *   fexit/cap_capable   Linux >= 5.12 with BTF (compare-and-swap, 5.12; the current task's BTF,
 *                       5.11); opts says NOAUDIT directly.
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "capable.h"
#include "shared.bpf.h"
#include "opts.bpf.h"
#include "events.bpf.h"

/* include/linux/security.h */
#define CAP_OPT_NOAUDIT (1U << 1)
#define CAP_OPT_INSETID (1U << 2)

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
 * What the blocks cannot take: a cgroup whose slot another holds, a capability past BLOCK_CAPS.
 * No preallocation, so an idle node pays for what it uses, not for max_entries (a preallocated
 * 1M-entry map once cost another tool ~44 MiB per instance). The exporter may resize it.
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
 * The percpu value needs an atomic add all the same: on preemptible kernels BPF programs run
 * with migration, not preemption, disabled, so two tasks on one CPU can interleave.
 */
static __always_inline void spill(__u64 cgroup_id, int cap, __u8 verdict, __u8 audit,
				  __u8 userns_level)
{
	struct count_key key = {};
	__u64 one = 1, *value;
	long err;

	key.cgroup_id = cgroup_id;
	key.cap = (__u32)cap;
	key.verdict = verdict;
	key.audit = audit;
	key.userns_level = userns_level;

	value = bpf_map_lookup_elem(&counts, &key);
	if (value) {
		__sync_fetch_and_add(value, 1);
		return;
	}
	if (reserve_spill_entry()) {
		err = bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
		if (err == 0)
			return;
		release_spill_entry();
	}
	/* Another CPU inserted the same key first, or counts is full. */
	value = bpf_map_lookup_elem(&counts, &key);
	if (value) {
		__sync_fetch_and_add(value, 1);
		return;
	}
	bump(&stats, STAT_COUNTS_MAP_FULL);
	bump(&counts_overflow, OVERFLOW_INDEX(key.cap, key.verdict, key.audit));
}

/*
 * How deep the user namespace a check was against lies, as far as the caller's own capabilities
 * are concerned: the target's depth when the caller is inside it (at least as deep), or owns it
 * (cap_capable() grants the owner every capability there, whatever its own sets); 0 when the
 * target is the host's, or one the caller reaches with the capabilities of an ancestor (a host
 * agent with CAP_NET_ADMIN acting on a pod's namespace): that is a use of host privilege.
 */
static __always_inline __u8 scope_level(const struct cred *cred,
					const struct user_namespace *target_ns)
{
	int target = target_ns->level;

	if (target <= 0)
		return 0;
	if (cred->user_ns->level < target && target_ns->owner.val != cred->euid.val)
		return 0;
	return target > 255 ? 255 : target;
}

static __always_inline void count(__u64 cgroup_id, int cap, int ret, __u8 audit,
				  __u8 userns_level)
{
	__u32 slot = (__u32)cgroup_id & config.slot_mask;
	__u8 verdict = ret == 0 ? VERDICT_ALLOW : VERDICT_DENY;
	__u32 index = COUNTER_INDEX((__u32)cap, verdict, audit);
	struct cgroup_block *block;
	__u64 holder;

	/* Keeps the bound for the verifier: clang may otherwise test cap and use the product. */
	asm volatile("" : "+r"(index));
	block = bpf_map_lookup_elem(&cgroup_counts, &slot);
	if (!block || (__u32)cap >= BLOCK_CAPS || index >= BLOCK_COUNTERS || userns_level)
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
	spill(cgroup_id, cap, verdict, audit, userns_level);
}

/*
 * The task's cgroup v2 id with plain loads: what bpf_get_current_cgroup_id() returns, for 25-30
 * ns less (bench/RESULTS.md). The program runs under RCU, which keeps the css_set alive.
 */
static __always_inline __u64 cgroup_of(struct task_struct *task)
{
	return task->cgroups->dfl_cgrp->kn->id;
}

static __always_inline void on_check(void *ctx, const struct cred *cred,
				    const struct user_namespace *target_ns, int cap, int ret,
				    struct check_opts opts)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u8 userns_level = scope_level(cred, target_ns);
	__u64 cgroup_id;

	/*
	 * A cred that is not the caller's own is a check the caller never asked for: overridden
	 * credentials (overlayfs copy-up) or a question about another task (the OOM killer's
	 * has_capability_noaudit). Counting it would blame the wrong cgroup.
	 */
	if (cred != task->real_cred) {
		bump(&stats, STAT_FOREIGN_CRED);
		return;
	}
	cgroup_id = cgroup_of(task);
	count(cgroup_id, cap, ret, opts.audit, userns_level);
	if (config.events)
		send_event(ctx, task, cred, target_ns, cgroup_id, cap, ret, opts, userns_level);
}

SEC("tp_btf/cap_capable")
int BPF_PROG(cap_capable_tp, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	on_check(ctx, cred, target_ns, cap, ret, opts_from_stack(ctx));
	return 0;
}

SEC("fexit/cap_capable")
int BPF_PROG(cap_capable_fexit, const struct cred *cred, struct user_namespace *target_ns,
	     int cap, unsigned int opts, int ret)
{
	struct check_opts known = {
		.audit = (opts & CAP_OPT_NOAUDIT) ? AUDIT_NO : AUDIT_YES,
		.insetid = (opts & CAP_OPT_INSETID) ? 1 : 0,
	};

	on_check(ctx, cred, target_ns, cap, ret, known);
	return 0;
}

/*
 * Cgroups of the default hierarchy as they are made and released, with the path the kernel's
 * trace events carry: user space learns names from here, never by walking the tree on a hot path.
 * cgroup_release comes when no css_set refers to the cgroup any more, so no check can be counted
 * in its block after it: the block is marked departed and kept for user space to read and free.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} cgroup_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cgroup_event);
} cgroup_event_scratch SEC(".maps");

/* cgroup v1 hierarchies (a hybrid host has both) number their cgroups apart: not ours. */
static __always_inline bool on_default_hierarchy(struct cgroup *cgrp)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return cgrp->root == task->cgroups->dfl_cgrp->root;
}

static __always_inline void send_cgroup(struct cgroup *cgrp, const char *path, __u32 change)
{
	__u32 zero = 0;
	struct cgroup_event *event = bpf_map_lookup_elem(&cgroup_event_scratch, &zero);
	long len;

	if (!event)
		return;
	event->cgroup_id = cgrp->kn->id;
	event->change = change;
	len = bpf_probe_read_kernel_str(event->path, sizeof(event->path), path);
	if (len <= 0 || len > CGROUP_PATH_MAX)
		len = 1, event->path[0] = 0;
	event->path_len = len;
	if (bpf_ringbuf_output(&cgroup_events, event, offsetof(struct cgroup_event, path) + len, 0))
		bump(&stats, STAT_CGROUP_RING_FULL);
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(cgroup_made, struct cgroup *cgrp, const char *path)
{
	if (on_default_hierarchy(cgrp))
		send_cgroup(cgrp, path, CGROUP_MADE);
	return 0;
}

SEC("tp_btf/cgroup_release")
int BPF_PROG(cgroup_released, struct cgroup *cgrp, const char *path)
{
	struct cgroup_block *block;
	__u64 id;
	__u32 slot;

	if (!on_default_hierarchy(cgrp))
		return 0;
	id = cgrp->kn->id;
	slot = (__u32)id & config.slot_mask;
	block = bpf_map_lookup_elem(&cgroup_counts, &slot);
	if (block)
		__sync_val_compare_and_swap(&block->cgroup_id, id, id | SLOT_DEPARTED);
	send_cgroup(cgrp, path, CGROUP_RELEASED);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
