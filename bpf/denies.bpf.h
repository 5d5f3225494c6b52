/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What a program did about a deny (enum verdict in capable.h), for the counters and the events:
 *   fallback     the kernel checked its alternative capability next, in the same call, and
 *                allowed it: generic_permission() tries DAC_READ_SEARCH and DAC_OVERRIDE in
 *                turn, bpf_capable() BPF then SYS_ADMIN, and so on. The deny failed nothing.
 *   drop check   a set*id to root, refused to a task that had given root up: a daemon making
 *                sure it cannot get root back (OpenSSH does). The deny is the program's success.
 *   before exit  the process exited, failing (a status other than 0), with no audited check
 *                after the deny: cut short by it.
 * An audited deny of a workload is held per thread (held_denies[], by tid) until the thread's
 * next audited check says whether it was a fallback, its exit says it came before the exit, an
 * exec or DENY_WAIT_NS passing say the program went on (settle_entries); then it is counted and
 * its event sent with its class. A drop check is known at once. While no deny is held anywhere,
 * a check pays one load (denies_held) for this.
 */
#ifndef __CAPABILITY_EXPORTER_DENIES_BPF_H
#define __CAPABILITY_EXPORTER_DENIES_BPF_H

#include "shared.bpf.h"
#include <bpf/bpf_core_read.h>
#include "counts.bpf.h"
#include "task.bpf.h"
#include "opts.bpf.h"
#include "events.bpf.h"

/* include/linux/sched/signal.h */
#define SIGNAL_GROUP_EXIT 0x00000004

#define DENY_SLOTS 1024
#define DENY_WAIT_NS (1000ULL * 1000 * 1000)

enum held_state {
	DENY_FILLING = 1, /* being held: the rest of the slot is not written yet */
	DENY_HELD = 2,
	DENY_TAKEN = 3,   /* being released */
};

struct held_deny {
	__u64 word; /* tid << 32 | enum held_state; 0: free */
	__u64 since;
	__u64 cgroup_id;
	__u32 cap;
	__u32 exec_id;
	__u8 audit;
	__u8 userns_level;
	__u8 origin;
	__u8 pad[5];
	struct check_event event; /* filled when events are on */
};

struct held_deny held_denies[DENY_SLOTS];
__u32 denies_held;

/* Whether the kernel, denied `denied`, checks `next` as its alternative (pairs it tries in turn). */
static __always_inline bool alternative(int denied, int next)
{
	switch (denied) {
	case CAP_DAC_READ_SEARCH:
		return next == CAP_DAC_OVERRIDE; /* a directory's read or search */
	case CAP_DAC_OVERRIDE:
		return next == CAP_DAC_READ_SEARCH; /* a file's read */
	case CAP_BPF:
	case CAP_PERFMON:
	case CAP_CHECKPOINT_RESTORE:
	case CAP_SYSLOG:
		return next == CAP_SYS_ADMIN; /* the capabilities split out of SYS_ADMIN */
	case CAP_NET_RAW:
		return next == CAP_NET_ADMIN; /* SO_PRIORITY, SO_MARK */
	case CAP_SYS_ADMIN:
		return next == CAP_SYS_NICE; /* ioprio_set's realtime class */
	}
	return false;
}

/* The first three arguments of the system call the task is in (a helper call: seldom asked). */
static __always_inline void syscall_args(struct task_struct *task, __u64 args[3])
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

	if (bpf_core_field_exists(((struct pt_regs___x86 *)0)->di)) {
		args[0] = BPF_CORE_READ((struct pt_regs___x86 *)regs, di);
		args[1] = BPF_CORE_READ((struct pt_regs___x86 *)regs, si);
		args[2] = BPF_CORE_READ((struct pt_regs___x86 *)regs, dx);
	} else if (bpf_core_field_exists(((struct pt_regs___arm64 *)0)->orig_x0)) {
		args[0] = BPF_CORE_READ((struct pt_regs___arm64 *)regs, orig_x0);
		args[1] = BPF_CORE_READ((struct pt_regs___arm64 *)regs, regs[1]);
		args[2] = BPF_CORE_READ((struct pt_regs___arm64 *)regs, regs[2]);
	}
}

/*
 * A SETUID or SETGID deny in setuid/setreuid/setresuid/setfsuid (or the gid ones) whose target
 * names root (id 0), by a task that is not root in any of its uids.
 */
static __always_inline bool drop_check(struct task_struct *task, const struct cred *cred, int cap)
{
	__u64 args[3] = {};
	int nr, call = -1, first;

	if (cap != CAP_SETUID && cap != CAP_SETGID)
		return false;
	if (cred->uid.val == 0 || cred->euid.val == 0 || cred->suid.val == 0)
		return false;
	nr = syscall_nr(task);
	first = cap == CAP_SETUID ? 0 : 4;
	for (int i = 0; i < 4; i++) {
		if (config.setid_syscalls[(first + i) & (SETID_SYSCALLS - 1)] == nr && nr >= 0)
			call = i;
	}
	if (call < 0)
		return false;
	syscall_args(task, args);
	switch (call) {
	case 0: /* setuid(id), setgid(id) */
	case 3: /* setfsuid(id), setfsgid(id) */
		return (__u32)args[0] == 0;
	case 1: /* setreuid(r, e) */
		return (__u32)args[0] == 0 || (__u32)args[1] == 0;
	default: /* setresuid(r, e, s) */
		return (__u32)args[0] == 0 || (__u32)args[1] == 0 || (__u32)args[2] == 0;
	}
}

/* Counts a held deny with its class, sends its event, and frees the slot (taken by the caller). */
static __always_inline void release(struct held_deny *held, __u8 verdict)
{
	count(held->cgroup_id, held->cap, verdict, held->audit, held->userns_level, held->origin);
	if (config.events)
		send_filled(&held->event, held->exec_id, verdict);
	__sync_fetch_and_add(&denies_held, -1);
	__sync_lock_test_and_set(&held->word, 0);
}

/* Takes the slot of a held deny of thread tid (word is what was read); false if another did. */
static __always_inline bool take(struct held_deny *held, __u64 word, __u32 tid)
{
	if ((__u32)(word >> 32) != tid || (word & 0xff) != DENY_HELD)
		return false;
	return __sync_val_compare_and_swap(&held->word, word, (__u64)tid << 32 | DENY_TAKEN) == word;
}

/* An audited check by thread tid: the deny it held, if any, was a fallback or a plain one. */
static __always_inline void next_check(__u32 tid, int cap, __u8 verdict)
{
	struct held_deny *held = &held_denies[tid & (DENY_SLOTS - 1)];

	if (!take(held, *(volatile __u64 *)&held->word, tid))
		return;
	release(held,
		verdict == VERDICT_ALLOW && alternative(held->cap, cap) ? VERDICT_FALLBACK
									  : VERDICT_DENY);
}

/*
 * The thread exits: a deny it held came before the exit when the whole process is going, and
 * failing: exit(N) with N other than 0. A stop (a signal, or exit(0) after handling SIGTERM) is
 * not the deny's doing.
 */
static __always_inline void thread_exits(struct task_struct *task)
{
	__u32 tid = task->pid;
	struct held_deny *held = &held_denies[tid & (DENY_SLOTS - 1)];
	bool process = task->signal->live.counter == 0 || (task->signal->flags & SIGNAL_GROUP_EXIT);
	int code = task->exit_code;
	bool failing = code != 0 && (code & 0x7f) == 0;

	if (take(held, *(volatile __u64 *)&held->word, tid))
		release(held, process && failing ? VERDICT_BEFORE_EXIT : VERDICT_DENY);
}

/* The thread execs another program: the one denied went on, the deny was a plain one. */
static __always_inline void thread_execs(struct task_struct *task)
{
	__u32 tid = task->pid;
	struct held_deny *held = &held_denies[tid & (DENY_SLOTS - 1)];

	if (take(held, *(volatile __u64 *)&held->word, tid))
		release(held, VERDICT_DENY);
}

/*
 * Holds an audited deny of the current thread until its class is known. False when its slot is
 * another thread's: the caller counts it as a plain deny at once.
 */
static __always_inline bool hold_deny(void *ctx, struct task_struct *task,
				      const struct cred *cred,
				      const struct user_namespace *target_ns, __u64 cgroup_id,
				      int cap, struct check_opts opts, __u8 userns_level,
				      __u8 origin)
{
	__u32 tid = task->pid;
	struct held_deny *held = &held_denies[tid & (DENY_SLOTS - 1)];
	struct fold_key key = {};

	if (__sync_val_compare_and_swap(&held->word, 0, (__u64)tid << 32 | DENY_FILLING) != 0) {
		bump(&stats, STAT_UNCLASSED);
		return false;
	}
	held->since = bpf_ktime_get_ns();
	held->cgroup_id = cgroup_id;
	held->cap = (__u32)cap;
	held->audit = opts.audit;
	held->userns_level = userns_level;
	held->origin = origin;
	if (config.events) {
		key_of(&key, task, cgroup_id, cap, VERDICT_DENY, opts.audit, userns_level, origin);
		held->exec_id = key.exec_id;
		fill_event(&held->event, ctx, task, cred, target_ns, &key, opts, 0);
	}
	__sync_fetch_and_add(&denies_held, 1);
	__sync_lock_test_and_set(&held->word, (__u64)tid << 32 | DENY_HELD);
	return true;
}

struct deny_sweep {
	__u64 now;
	__u32 all;
	__u32 pad;
};

static long sweep_one(__u32 index, struct deny_sweep *sweep)
{
	struct held_deny *held = &held_denies[index & (DENY_SLOTS - 1)];
	__u64 word = *(volatile __u64 *)&held->word;

	if ((word & 0xff) != DENY_HELD || (!sweep->all && sweep->now - held->since < DENY_WAIT_NS))
		return 0;
	if (take(held, word, (__u32)(word >> 32)))
		release(held, VERDICT_DENY);
	return 0;
}

/* Counts the denies held longer than DENY_WAIT_NS (every one, with all) as plain ones. */
static __always_inline void sweep_denies(__u64 now, __u32 all)
{
	struct deny_sweep sweep = { now, all, 0 };

	if (denies_held)
		bpf_loop(DENY_SLOTS, sweep_one, &sweep, 0);
}

#endif /* __CAPABILITY_EXPORTER_DENIES_BPF_H */
