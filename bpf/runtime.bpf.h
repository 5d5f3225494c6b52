/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The runtime boundary: which checks a container's runtime made while setting the container up or
 * entering it for an exec, before the workload's own program runs (docs/runtime-boundary.md).
 *
 * A process is the runtime's ("setup") from the moment a runtime places it in a cgroup until its
 * next execve, and its children are too:
 *   - placed: moved into a cgroup by one of its ancestors (runc, crun, systemd writing the pid of
 *     a process they started), or born into one by clone3(CLONE_INTO_CGROUP), while it is in the
 *     host's mount namespace. A process that moves itself, a daemon moved by another (kubelet
 *     moving containerd), and anything already inside a container's mount namespace are not:
 *     so a workload cannot hide its own checks by moving itself into a sub-cgroup.
 *   - until its execve, except a re-exec of itself in the host's mount namespace (the same file,
 *     or one with no name on any file system): runc 1.1 re-executes a copy of itself, a memfd or
 *     a read-only bind mount of its binary, racing with the write that moves it into the cgroup.
 * Before it is placed, a runtime's process makes checks in the host's cgroup: runc's init mounts
 * that copy of itself, and an exec into a running container enters the container's namespaces
 * with setns(2) before it joins the container's cgroup. So a process of the host's mount
 * namespace making a SYS_ADMIN check in setns or a mount call is "joining": its checks, and its
 * children's, are held (struct pending_checks) until one of them is placed in a cgroup, and then
 * credited to that cgroup as the runtime's. A lineage none of whose processes is placed made its
 * checks for itself: when one of them execs another program (nsenter), when all have exited
 * (mount(8)), or after SETTLE_NS (a daemon entering a network namespace), they go to the cgroup
 * they were made in, as the workload's, as they would have without this file. Only allowed
 * checks begin joining: a runtime that is denied cannot set anything up.
 *
 * Cost per check: one array lookup and a compare (marks[], in .bss); a hash lookup only while a
 * process of the same tgid modulo MARK_SLOTS is marked, or while some mark had to spill.
 */
#ifndef __CAPABILITY_EXPORTER_RUNTIME_BPF_H
#define __CAPABILITY_EXPORTER_RUNTIME_BPF_H

#include "shared.bpf.h"
#include "counts.bpf.h"
#include "task.bpf.h"
#include "cgroups.bpf.h"

enum mark_state {
	MARK_SETUP = 1,
	MARK_JOINING = 2,
};

struct task_mark {
	__u64 word;     /* tgid << 32 | enum mark_state, published last; 0: free */
	__u64 cgroup;   /* setup: the container it works for when not in its cgroup (a mover); 0 */
	__u32 lineage;  /* joining: its held checks, the key of joining */
	__u32 pad;
};

/* Direct-mapped by tgid: a marked process is looked up with one load and a compare. */
#define MARK_SLOTS 4096
struct task_mark marks[MARK_SLOTS];

/* Marks whose slot another process held; looked up only while it holds any. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct task_mark);
} marks_spill SEC(".maps");

__u32 marks_spilled;

/* Held checks of one joining lineage, by kind (capability, verdict, audit, user namespace depth). */
#define PENDING_KINDS 8
#define SETTLE_NS (5ULL * 1000 * 1000 * 1000)
#define RESOLVED_RUNTIME (1ULL << 63)

struct pending_checks {
	__u64 made_in;    /* the cgroup the checks were made in */
	__u64 since;      /* when the first was held; once resolved, when resolved */
	__u64 resolution; /* the cgroup they were credited to, | RESOLVED_RUNTIME; 0: not yet */
	__u32 members;    /* processes of the lineage alive and joining */
	__u32 kinds[PENDING_KINDS]; /* kind_of() + 1; 0: free */
	__u64 counts[PENDING_KINDS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct pending_checks);
} joining SEC(".maps");

__u32 next_lineage;

/* A new entry of joining is built here: the stack is the scan's (opts.bpf.h). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending_checks);
} pending_scratch SEC(".maps");

static __always_inline struct task_mark *mark_of(__u32 tgid)
{
	struct task_mark *mark = &marks[tgid & (MARK_SLOTS - 1)];
	__u64 word = *(volatile __u64 *)&mark->word;

	if ((__u32)(word >> 32) == tgid && (word & 0xff))
		return mark;
	if (*(volatile __u32 *)&marks_spilled == 0)
		return NULL;
	mark = bpf_map_lookup_elem(&marks_spill, &tgid);
	return mark && (mark->word & 0xff) ? mark : NULL;
}

static __always_inline __u8 state_of(struct task_mark *mark)
{
	return mark->word & 0xff;
}

/* Claims the slot, writes the fields, then publishes the state with one atomic exchange. */
static __always_inline void set_mark(__u32 tgid, __u8 state, __u64 cgroup, __u32 lineage)
{
	struct task_mark *mark = &marks[tgid & (MARK_SLOTS - 1)];
	__u64 claim = (__u64)tgid << 32, word = *(volatile __u64 *)&mark->word;
	struct task_mark spilled = {};

	if ((__u32)(word >> 32) == tgid ||
	    (word == 0 && __sync_val_compare_and_swap(&mark->word, 0, claim) == 0)) {
		mark->cgroup = cgroup;
		mark->lineage = lineage;
		__sync_lock_test_and_set(&mark->word, claim | state);
		return;
	}
	spilled.word = claim | state;
	spilled.cgroup = cgroup;
	spilled.lineage = lineage;
	if (bpf_map_update_elem(&marks_spill, &tgid, &spilled, BPF_NOEXIST) == 0) {
		__sync_fetch_and_add(&marks_spilled, 1);
		return;
	}
	if (bpf_map_update_elem(&marks_spill, &tgid, &spilled, BPF_EXIST) != 0)
		bump(&stats, STAT_UNMARKED);
}

static __always_inline void clear_mark(__u32 tgid)
{
	struct task_mark *mark = &marks[tgid & (MARK_SLOTS - 1)];
	__u64 word = *(volatile __u64 *)&mark->word;

	if (word && (__u32)(word >> 32) == tgid)
		__sync_val_compare_and_swap(&mark->word, word, 0);
	if (*(volatile __u32 *)&marks_spilled && bpf_map_delete_elem(&marks_spill, &tgid) == 0)
		__sync_fetch_and_add(&marks_spilled, -1);
}

static __always_inline __u32 kind_of(int cap, __u8 verdict, __u8 audit, __u8 level)
{
	return ((__u32)cap | (__u32)verdict << 6 | (__u32)audit << 7 | (__u32)level << 9) + 1;
}

static __always_inline bool hold(struct pending_checks *held, __u32 kind)
{
	for (int i = 0; i < PENDING_KINDS; i++) {
		__u32 have = held->kinds[i];

		if (have == 0)
			have = __sync_val_compare_and_swap(&held->kinds[i], 0, kind);
		if (have == 0 || have == kind) {
			__sync_fetch_and_add(&held->counts[i], 1);
			return true;
		}
	}
	return false;
}

/*
 * Counts what is held under the resolution. A count the spill hash cannot take now stays held, to
 * be credited again when the entry is settled (settle_one: user space's program, in process
 * context), and only then, with last, overflows: the hooks that resolve (a cgroup attach, with
 * interrupts off) may find the hash's free elements used up for a moment.
 */
static __always_inline void credit(struct pending_checks *held, __u64 resolution, bool last)
{
	__u64 cgroup_id = resolution & ~RESOLVED_RUNTIME;
	__u8 origin = resolution & RESOLVED_RUNTIME ? ORIGIN_RUNTIME : ORIGIN_WORKLOAD;

	for (int i = 0; i < PENDING_KINDS; i++) {
		__u32 kind = held->kinds[i];
		__u64 n;

		if (kind == 0)
			continue;
		n = __sync_lock_test_and_set(&held->counts[i], 0);
		kind -= 1;
		if (n && !count_n(cgroup_id, kind & 63, (kind >> 6) & 1, (kind >> 7) & 3,
				  (kind >> 9) & 0xff, origin, n, !last))
			__sync_fetch_and_add(&held->counts[i], n);
	}
}

/* The first resolution wins; a check that came meanwhile is credited at the entry's deletion. */
static __always_inline void resolve(struct pending_checks *held, __u64 resolution, __u64 now)
{
	held->since = now;
	if (__sync_val_compare_and_swap(&held->resolution, 0, resolution) == 0)
		credit(held, resolution, false);
}

/*
 * The check of a marked process: where and as whose it counts. When it is held instead (a
 * joining process, its container not known yet), the lineage that holds it; else 0.
 */
static __always_inline __u32 marked_check(struct task_mark *mark, __u32 tgid, __u64 *cgroup_id,
					  __u8 *origin, int cap, __u8 verdict, __u8 audit,
					  __u8 level)
{
	struct pending_checks *held;
	__u32 lineage;
	__u64 resolution;

	if (state_of(mark) == MARK_SETUP) {
		*origin = ORIGIN_RUNTIME;
		if (mark->cgroup)
			*cgroup_id = mark->cgroup;
		return 0;
	}
	lineage = mark->lineage;
	held = bpf_map_lookup_elem(&joining, &lineage);
	resolution = held ? held->resolution : 0;
	if (!held || (resolution && !(resolution & RESOLVED_RUNTIME))) {
		clear_mark(tgid); /* it made its checks for itself: as any process from now on */
		return 0;
	}
	*origin = ORIGIN_RUNTIME;
	if (resolution) {
		*cgroup_id = resolution & ~RESOLVED_RUNTIME;
		return 0;
	}
	if ((__u32)cap < 64 && hold(held, kind_of(cap, verdict, audit, level)))
		return lineage;
	bump(&stats, STAT_UNHELD); /* the runtime's, in the cgroup it was made in */
	return 0;
}

static __always_inline bool joining_syscall(struct task_struct *task)
{
	int nr = syscall_nr(task);

	for (int i = 0; i < JOINING_SYSCALLS; i++) {
		if (config.joining_syscalls[i] == nr && nr >= 0)
			return true;
	}
	return false;
}

/*
 * An unmarked process's SYS_ADMIN check in setns or a mount call: it begins joining when it is of
 * the host's mount namespace, and the check is held in its new lineage (returned; else 0). Only
 * audited SYS_ADMIN checks are looked at (those calls ask it first): the syscall number is not
 * read for the rest.
 */
static __always_inline __u32 begins_joining(struct task_struct *task, __u64 cgroup_id, int cap,
					   __u8 verdict, __u8 audit, __u8 level)
{
	struct pending_checks *fresh, *held;
	__u32 lineage, zero = 0;

	if (cap != CAP_SYS_ADMIN || verdict != VERDICT_ALLOW || audit == AUDIT_NO ||
	    !joining_syscall(task))
		return 0;
	if (mnt_ns_of(task) != host_mnt_ns_from(task))
		return 0;
	fresh = bpf_map_lookup_elem(&pending_scratch, &zero);
	if (!fresh)
		return 0;
	__builtin_memset(fresh, 0, sizeof(*fresh));
	lineage = __sync_fetch_and_add(&next_lineage, 1) + 1;
	fresh->made_in = cgroup_id;
	fresh->since = bpf_ktime_get_ns();
	fresh->members = 1;
	if (bpf_map_update_elem(&joining, &lineage, fresh, BPF_NOEXIST) != 0) {
		bump(&stats, STAT_UNHELD);
		return 0;
	}
	held = bpf_map_lookup_elem(&joining, &lineage);
	if (!held)
		return 0;
	set_mark(task->tgid, MARK_JOINING, 0, lineage);
	return hold(held, kind_of(cap, verdict, audit, level)) ? lineage : 0;
}

/*
 * The mover goes on working for the container it placed a process in: runc writes the
 * container's device rules after placing its init. Its checks are that container's runtime's
 * until it execs or exits. Not pid 1 (systemd placing every service), nor a mover inside a
 * container.
 */
static __always_inline void works_for(struct task_struct *mover, __u64 dst)
{
	struct task_mark *mark = mark_of(mover->tgid);

	if (mover->tgid == 1 || mnt_ns_of(mover) != host_mnt_ns_from(mover))
		return;
	if (!mark || state_of(mark) == MARK_SETUP)
		set_mark(mover->tgid, MARK_SETUP, dst, 0);
}

/* task was moved into the cgroup dst by the current task, or born there (mover = its parent). */
static __always_inline void placed(struct task_struct *task, struct task_struct *mover, __u64 dst)
{
	__u32 tgid = task->tgid;
	struct task_mark *mark = mark_of(tgid);
	struct pending_checks *held;
	__u32 lineage;

	if (mark && state_of(mark) == MARK_JOINING) {
		lineage = mark->lineage;
		held = bpf_map_lookup_elem(&joining, &lineage);
		if (held)
			resolve(held, dst | RESOLVED_RUNTIME, bpf_ktime_get_ns());
		set_mark(tgid, MARK_SETUP, 0, 0);
		works_for(mover, dst);
		send_entered(dst);
		return;
	}
	if (mark && !mark->cgroup)
		return; /* moved again while setting up */
	if (!descends_from(task, mover->tgid))
		return;
	if (mnt_ns_of(task) != host_mnt_ns_from(task))
		return;
	set_mark(tgid, MARK_SETUP, 0, 0);
	works_for(mover, dst);
}

/* A new process inherits its parent's mark; one born into another cgroup is placed there. */
static __always_inline void forked(struct task_struct *parent, struct task_struct *child)
{
	struct task_mark *mark;

	if (child->tgid == parent->tgid)
		return; /* a thread: its process's mark is its own */
	mark = mark_of(parent->tgid);
	if (mark) {
		__u32 lineage = mark->lineage;
		struct pending_checks *held;

		if (state_of(mark) == MARK_JOINING) {
			held = bpf_map_lookup_elem(&joining, &lineage);
			if (held)
				__sync_fetch_and_add(&held->members, 1);
		}
		set_mark(child->tgid, state_of(mark), mark->cgroup, lineage);
		return;
	}
	if (cgroup_of(child) != cgroup_of(parent))
		placed(child, parent, cgroup_of(child));
}

/*
 * A runtime re-executing itself before it enters the container (runc 1.1's copy of itself): in the
 * host's mount namespace, the program it runs or one with no name. With before false (the
 * exec is done, Linux < 6.10) the old program is gone: only the nameless copy is recognised.
 */
static __always_inline bool reexec_of_itself(struct task_struct *task, struct linux_binprm *bprm,
					     bool before)
{
	struct inode *next = bprm->file->f_inode;
	struct mm_struct *mm = task->mm;

	if (mnt_ns_of(task) != host_mnt_ns_from(task))
		return false;
	if (next->i_nlink == 0)
		return true;
	return before && mm && mm->exe_file && mm->exe_file->f_inode == next;
}

/* The boundary: the workload's program begins. */
static __always_inline void exec_begins(struct task_struct *task, struct linux_binprm *bprm,
					bool before)
{
	__u32 tgid = task->tgid, lineage;
	struct task_mark *mark = mark_of(tgid);
	struct pending_checks *held;

	if (!mark || reexec_of_itself(task, bprm, before))
		return;
	if (state_of(mark) == MARK_JOINING) {
		/* nsenter and the like: entered namespaces, exec'd, never placed. Theirs. */
		lineage = mark->lineage;
		held = bpf_map_lookup_elem(&joining, &lineage);
		if (held)
			resolve(held, held->made_in, bpf_ktime_get_ns());
	}
	clear_mark(tgid);
}

/* The process's last thread exits; a lineage whose last process goes unplaced is resolved. */
static __always_inline void exits(struct task_struct *task)
{
	__u32 tgid = task->tgid, lineage;
	struct task_mark *mark;
	struct pending_checks *held;

	if (task->signal->live.counter != 0)
		return;
	mark = mark_of(tgid);
	if (!mark)
		return;
	if (state_of(mark) == MARK_JOINING) {
		lineage = mark->lineage;
		held = bpf_map_lookup_elem(&joining, &lineage);
		if (held && __sync_fetch_and_add(&held->members, -1) == 1)
			resolve(held, held->made_in, bpf_ktime_get_ns());
	}
	clear_mark(tgid);
}

struct settle_state {
	__u64 now;
	__u32 all;
	__u32 pad;
};


/*
 * Resolves the entries of lineages never placed within SETTLE_NS as their own (the workload's,
 * where made), and deletes resolved entries SETTLE_NS after their resolution, once no check can
 * still be holding into them and user space has learned whose its held check events were: what
 * came meanwhile is credited first. With all (the hooks detached), resolves and credits every
 * entry and keeps them, for user space's last look.
 */
static long settle_one(void *map, __u32 *lineage, struct pending_checks *held,
		       struct settle_state *state)
{
	if (!state->all && state->now - held->since < SETTLE_NS)
		return 0;
	if (!held->resolution) {
		resolve(held, held->made_in, state->now);
		if (!state->all)
			return 0;
	}
	credit(held, held->resolution, true);
	if (!state->all)
		bpf_map_delete_elem(map, lineage);
	return 0;
}

/* Settles the lineages held long enough (every one, with all): settle_one. */
static __always_inline void settle_lineages(__u64 now, __u32 all)
{
	struct settle_state state = { now, all, 0 };

	bpf_for_each_map_elem(&joining, settle_one, &state, 0);
}

#endif /* __CAPABILITY_EXPORTER_RUNTIME_BPF_H */
