// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Counts every capability check the kernel makes, in the kernel, per
 * (cgroup, capability, verdict, audit). User space reads the counts map at scrape time, so
 * the counters are exact at any rate and nothing crosses into user space per check. When asked
 * (trace, OTLP), it also sends check events, folded per time window (events.bpf.h).
 *
 * Two hooks, one attached at a time (the exporter picks at run time):
 *   tp_btf/cap_capable  Linux >= 6.14 ("security: add trace event for cap_capable"); no opts,
 *                       so audit is derived from the callers' frames on the kernel stack.
 *   fexit/cap_capable   Linux >= 5.5 with BTF; opts says NOAUDIT directly.
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "capable.h"

/* include/linux/security.h */
#define CAP_OPT_NOAUDIT (1U << 1)
#define CAP_OPT_INSETID (1U << 2)

/*
 * Sized from what it holds: one entry per (cgroup, capability, verdict, audit) seen. No
 * preallocation, so an idle node pays for what it uses, not for max_entries (a preallocated
 * 1M-entry map once cost another tool ~44 MiB per instance). The exporter may resize it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct count_key);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OVERFLOW_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts_overflow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

const volatile struct capable_config config;

static __always_inline void bump(void *map, __u32 index)
{
	__u64 *value = bpf_map_lookup_elem(map, &index);

	if (value)
		__sync_fetch_and_add(value, 1);
}

/*
 * The percpu value needs an atomic add all the same: on preemptible kernels BPF programs run
 * with migration, not preemption, disabled, so two tasks on one CPU can interleave.
 */
static __always_inline void count(__u64 cgroup_id, int cap, int ret, __u8 audit)
{
	struct count_key key = {};
	__u64 one = 1, *value;
	long err;

	key.cgroup_id = cgroup_id;
	key.cap = (__u32)cap;
	key.verdict = ret == 0 ? VERDICT_ALLOW : VERDICT_DENY;
	key.audit = audit;

	value = bpf_map_lookup_elem(&counts, &key);
	if (value) {
		__sync_fetch_and_add(value, 1);
		return;
	}
	err = bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	if (err == 0)
		return;
	/* Another CPU inserted the same key first. */
	value = bpf_map_lookup_elem(&counts, &key);
	if (value) {
		__sync_fetch_and_add(value, 1);
		return;
	}
	bump(&stats, STAT_COUNTS_MAP_FULL);
	bump(&counts_overflow, OVERFLOW_INDEX(key.cap, key.verdict, key.audit));
}

#include "opts.bpf.h"
#include "events.bpf.h"

static __always_inline void on_check(void *ctx, const struct cred *cred,
				    const struct user_namespace *target_ns, int cap, int ret,
				    struct check_opts opts)
{
	struct task_struct *task = bpf_get_current_task_btf();
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
	cgroup_id = bpf_get_current_cgroup_id();
	count(cgroup_id, cap, ret, opts.audit);
	if (config.events)
		send_event(ctx, task, cred, target_ns, cgroup_id, cap, ret, opts);
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

char LICENSE[] SEC("license") = "Dual BSD/GPL";
