// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Counts every capability check the kernel makes, in the kernel, per
 * (cgroup, capability, verdict, audit, origin) (counts.bpf.h). User space reads the counts at
 * scrape time, so the counters are exact at any rate and nothing crosses into user space per
 * check. Whether a check is the workload's or its container runtime's is runtime.bpf.h's to say.
 * When asked (trace, OTLP), it also sends check events, folded per time window (events.bpf.h).
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
#include "counts.bpf.h"
#include "task.bpf.h"
#include "cgroups.bpf.h"
#include "opts.bpf.h"
#include "events.bpf.h"
#include "runtime.bpf.h"
#include "denies.bpf.h"

/* include/linux/security.h */
#define CAP_OPT_NOAUDIT (1U << 1)
#define CAP_OPT_INSETID (1U << 2)

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

static __always_inline void on_check(void *ctx, const struct cred *cred,
				    const struct user_namespace *target_ns, int cap, int ret,
				    struct check_opts opts)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u8 userns_level = scope_level(cred, target_ns);
	__u8 verdict = ret == 0 ? VERDICT_ALLOW : VERDICT_DENY;
	__u8 origin = ORIGIN_WORKLOAD;
	struct task_mark *mark;
	__u64 cgroup_id;
	__u32 held;

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
	mark = mark_of(task->tgid);
	if (mark)
		held = marked_check(mark, task->tgid, &cgroup_id, &origin, cap, verdict, opts.audit,
				    userns_level);
	else
		held = begins_joining(task, cgroup_id, cap, verdict, opts.audit, userns_level);
	if (held) {
		origin = ORIGIN_HELD;
	} else {
		if (opts.audit != AUDIT_NO && *(volatile __u32 *)&denies_held)
			next_check(task->pid, cap, verdict);
		if (verdict == VERDICT_DENY && opts.audit != AUDIT_NO && origin == ORIGIN_WORKLOAD) {
			if (drop_check(task, cred, cap))
				verdict = VERDICT_DROP_CHECK;
			else if (hold_deny(ctx, task, cred, target_ns, cgroup_id, cap, opts,
					   userns_level, origin))
				return; /* counted and sent once its class is known */
		}
		count(cgroup_id, cap, verdict, opts.audit, userns_level, origin);
	}
	if (config.events)
		send_event(ctx, task, cred, target_ns, cgroup_id, cap, verdict, opts, userns_level,
			   origin, held);
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

/* The runtime boundary's events (runtime.bpf.h). */
SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(task_moved, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	if (on_default_hierarchy(dst))
		placed(task, bpf_get_current_task_btf(), dst->kn->id);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(task_forked, struct task_struct *parent, struct task_struct *child)
{
	forked(parent, child);
	return 0;
}

/* Linux 6.10+: before the new program's first check, and before its comm is set. */
SEC("tp_btf/sched_prepare_exec")
int BPF_PROG(exec_prepared, struct task_struct *task, struct linux_binprm *bprm)
{
	thread_execs(task);
	exec_begins(task, bprm, true);
	return 0;
}

/* Before Linux 6.10: once the exec is done (a few of the new program's first checks come first). */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_done, struct task_struct *task, int old_pid, struct linux_binprm *bprm)
{
	thread_execs(task);
	exec_begins(task, bprm, false);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(task_exited, struct task_struct *task)
{
	thread_exits(task);
	exits(task);
	return 0;
}

/*
 * Run by user space once a second, and with all once the hooks are detached: credits the checks
 * of lineages that waited long enough (runtime.bpf.h), and counts the denies held that long as
 * plain ones (denies.bpf.h).
 */
SEC("syscall")
int settle_entries(struct settle_args *args)
{
	__u64 now = bpf_ktime_get_ns();

	settle_lineages(now, args->all);
	sweep_denies(now, args->all);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
