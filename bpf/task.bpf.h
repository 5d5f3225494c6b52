/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Facts about a task, read with plain loads where the kernel allows: its cgroup, syscall, mounts. */
#ifndef __CAPABILITY_EXPORTER_TASK_BPF_H
#define __CAPABILITY_EXPORTER_TASK_BPF_H

#include "shared.bpf.h"
#include <bpf/bpf_core_read.h>

/*
 * The task's cgroup v2 id with plain loads: what bpf_get_current_cgroup_id() returns, for 25-30
 * ns less (bench/RESULTS.md). The programs run under RCU, which keeps the css_set alive.
 */
static __always_inline __u64 cgroup_of(struct task_struct *task)
{
	return task->cgroups->dfl_cgrp->kn->id;
}

/* Weak: kernels without it (before 6.2) can still load the fexit program, which does not use it. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/*
 * Where a task's user registers sit, from the start of its kernel stack: the same for every task
 * of a kernel build (THREAD_SIZE), learned once from bpf_task_pt_regs(), then read with plain
 * loads instead of a helper call per check (~30 ns here).
 */
__u64 regs_offset;

/* The syscall the task is in: -1 for kernel threads. The number is per thread (tid). */
static __always_inline int syscall_nr(struct task_struct *task)
{
	__u64 offset = regs_offset;
	void *regs;

	if (task->flags & PF_KTHREAD)
		return -1;
	if (!config.direct_loads) {
		struct pt_regs *slow = (struct pt_regs *)bpf_task_pt_regs(task);

		if (bpf_core_field_exists(((struct pt_regs___x86 *)0)->orig_ax))
			return (int)BPF_CORE_READ((struct pt_regs___x86 *)slow, orig_ax);
		if (bpf_core_field_exists(((struct pt_regs___arm64 *)0)->syscallno))
			return BPF_CORE_READ((struct pt_regs___arm64 *)slow, syscallno);
		return -1;
	}
	if (offset == 0 || offset > (1 << 20)) {
		offset = (__u64)bpf_task_pt_regs(task) - (__u64)task->stack;
		regs_offset = offset;
	}
	regs = bpf_rdonly_cast((void *)((__u64)task->stack + offset), 0);
	if (bpf_core_field_exists(((struct pt_regs___x86 *)0)->orig_ax))
		return (int)*(long *)(regs + bpf_core_field_offset(struct pt_regs___x86, orig_ax));
	if (bpf_core_field_exists(((struct pt_regs___arm64 *)0)->syscallno))
		return *(int *)(regs + bpf_core_field_offset(struct pt_regs___arm64, syscallno));
	return -1;
}

/* The task's mount namespace, as an address to compare (0 for a task whose nsproxy is gone). */
static __always_inline __u64 mnt_ns_of(struct task_struct *task)
{
	struct nsproxy *nsproxy = task->nsproxy;

	return nsproxy ? (__u64)nsproxy->mnt_ns : 0;
}

/*
 * The host's mount namespace: pid 1's, found once by walking up from any task (by tgid: a parent
 * may be any thread of pid 1).
 */
__u64 host_mnt_ns;

#define MAX_ANCESTORS 32

static __always_inline __u64 host_mnt_ns_from(struct task_struct *task)
{
	__u64 found = host_mnt_ns;

	if (found)
		return found;
	for (int i = 0; i < MAX_ANCESTORS && task; i++) {
		if (task->tgid == 1) {
			found = mnt_ns_of(task);
			host_mnt_ns = found;
			return found;
		}
		task = task->real_parent;
	}
	return 0;
}

/* Whether the process tgid is one of task's ancestors (a process is not its own). */
static __always_inline bool descends_from(struct task_struct *task, __u32 tgid)
{
	task = task->real_parent;
	for (int i = 0; i < MAX_ANCESTORS && task; i++) {
		if ((__u32)task->tgid == tgid)
			return true;
		if (task->tgid <= 1)
			return false;
		task = task->real_parent;
	}
	return false;
}

#endif /* __CAPABILITY_EXPORTER_TASK_BPF_H */
