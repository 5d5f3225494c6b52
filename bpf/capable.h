/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Record layouts shared by capable.bpf.c and the exporter (io.capabilityexporter.probe mirrors
 * them; RecordLayoutTest checks the sizes and offsets against the compiled object's BTF).
 */
#ifndef __CAPABILITY_EXPORTER_CAPABLE_H
#define __CAPABILITY_EXPORTER_CAPABLE_H

#include "kernel_types.h"

/* Capability numbers stop at CAP_LAST_CAP (40 on 6.x); 64 leaves room for new ones. */
#define CAP_SLOTS 64

/*
 * The kernel's answer, and for a deny what the program did about it (denies.bpf.h): a deny whose
 * class is known is counted and sent as such.
 */
enum verdict {
	VERDICT_ALLOW = 0,
	VERDICT_DENY = 1,
	VERDICT_FALLBACK = 2,    /* the kernel tried its alternative capability next, and allowed it */
	VERDICT_DROP_CHECK = 3,  /* a set*id to root, refused to a task that had given root up */
	VERDICT_BEFORE_EXIT = 4, /* the process exited with no audited check after the deny */
};

enum audit {
	AUDIT_NO = 0,      /* the kernel asked without auditing (CAP_OPT_NOAUDIT) */
	AUDIT_YES = 1,
	AUDIT_UNKNOWN = 2, /* the hook could not tell */
};

/*
 * Counts of one cgroup, in the cgroup_counts array at slot (cgroup id & (slots - 1)): one
 * counter per (capability, verdict, audit) for the first BLOCK_CAPS capabilities. A slot holds
 * one cgroup at a time, claimed by compare-and-swap on cgroup_id; a check whose slot another
 * cgroup holds, or whose capability is past BLOCK_CAPS, is counted in the spill hash instead.
 *
 * cgroup_id: 0 while the slot is free; the cgroup's id while it counts; the id with
 * SLOT_DEPARTED set once the cgroup is released (no task can check from it any more): the counts
 * stay until user space has read them, and user space frees the slot.
 */
#define BLOCK_CAPS 48
#define SLOT_DEPARTED (1ULL << 63)
#define COUNTER_INDEX(cap, verdict, audit) (((cap) * 2 + (verdict)) * 3 + (audit))
#define BLOCK_COUNTERS COUNTER_INDEX(BLOCK_CAPS, 0, 0)

struct cgroup_block {
	__u64 cgroup_id;
	__u64 counts[BLOCK_COUNTERS];
};

/*
 * Whose check it is (runtime.bpf.h): the workload's, or the container runtime's while it sets a
 * container up or enters it for an exec, before the workload's program is exec'd. Check events
 * have a third: held, made by a host process entering namespaces or mounting, counted as the
 * runtime's if it then enters a container's cgroup, else as its own.
 */
enum origin {
	ORIGIN_WORKLOAD = 0,
	ORIGIN_RUNTIME = 1,
	ORIGIN_HELD = 2,
};

/*
 * Key of the spill hash: everything the metric's labels depend on. userns_level is the depth of
 * the user namespace the check was against when the caller is inside it or owns it, else 0
 * (scope_level() in capable.bpf.c); the blocks count only depth 0 and the workload's checks, so
 * checks in a user namespace a workload made (rootless builds, sandboxes) and the runtime's spill.
 */
struct count_key {
	__u64 cgroup_id;
	__u32 cap;
	__u8 verdict;
	__u8 audit;
	__u8 userns_level;
	__u8 origin;       /* enum origin */
};

/*
 * When the spill hash is full a check is still counted, without its cgroup, in the
 * counts_overflow array at this index: exact totals survive a full map.
 */
#define OVERFLOW_SLOTS COUNTER_INDEX(CAP_SLOTS, 0, 0)
#define OVERFLOW_INDEX(cap, verdict, audit) \
	COUNTER_INDEX((cap) & (CAP_SLOTS - 1), (verdict) ? 1 : 0, audit)

/*
 * A cgroup of the default (v2) hierarchy made or released, from the kernel's cgroup_mkdir and
 * cgroup_release trace events, which carry its path: user space names cgroups from these, even
 * one that lived for a millisecond. Sent with the path's bytes only (path_len includes the NUL).
 */
enum cgroup_change {
	CGROUP_MADE = 1,
	CGROUP_RELEASED = 2,
	CGROUP_ENTERED = 3, /* a container runtime entered it for an exec (no path) */
};

/* The kernel's own limit for these paths (TRACE_CGROUP_PATH_LEN). */
#define CGROUP_PATH_MAX 1024

struct cgroup_event {
	__u64 cgroup_id;
	__u32 change;   /* enum cgroup_change */
	__u32 path_len;
	char path[CGROUP_PATH_MAX];
};

/* Indexes of the stats array: things the exporter reports as self metrics. */
enum stat {
	STAT_COUNTS_MAP_FULL = 0,    /* a new key found no room; counted in counts_overflow */
	STAT_FOREIGN_CRED = 1,       /* cred was not the caller's own: skipped */
	STAT_STACK_UNAVAILABLE = 2,  /* tp_btf: cap_capable not found on the stack: audit unknown */
	STAT_RING_FULL = 3,          /* a check event found the ring buffer full: not sent */
	STAT_CGROUP_RING_FULL = 4,   /* a cgroup made or released found its ring full: not sent */
	STAT_AUDIT_FIXED = 5,        /* tp_btf: audit read from the learned frame layout */
	STAT_AUDIT_SCANNED = 6,      /* tp_btf: audit derived by scanning the stack */
	STAT_AUDIT_DISAGREED = 7,    /* verify_audit: the two derivations disagreed */
	STAT_LAYOUTS_LEARNED = 8,    /* tp_btf: frame layouts learned (one per dispatch, two at most) */
	STAT_UNMARKED = 9,           /* a runtime's process found no room for its mark: its checks */
	                             /* count as the workload's */
	STAT_UNHELD = 10,            /* a check of a runtime entering a container found no room to */
	                             /* wait for the container's cgroup: the runtime's, where made */
	STAT_UNCLASSED = 11,         /* an audited deny found its thread's slot taken: counted as a */
	                             /* plain deny at once */
	STAT_REPEATS_LOST = 12,      /* a CPU's cached repeats found their tuple gone: not reported */
	STAT_SLOTS = 13,
};

/*
 * tp_btf only: how far up the kernel stack, from the tracepoint's arguments, the program looks
 * for cap_capable's callers, and how many words past security_capable's return address for
 * the *_noaudit helper that called it (security_capable's frame, 5 words on 6.18 x86_64).
 */
#define SCAN_WORDS 32
#define CALLER_WORDS 8
#define WRAPPERS 4

/* System calls whose SYS_ADMIN check makes a host process "joining" (runtime.bpf.h). */
#define JOINING_SYSCALLS 8
/* The set*id calls a privilege-drop check is made in (denies.bpf.h): 4 for uids, 4 for gids. */
#define SETID_SYSCALLS 8

/* [start, end) of a kernel function, from /proc/kallsyms. */
struct text_range {
	__u64 start;
	__u64 end;
};

/*
 * Set by the exporter before load (the program's only .rodata variable, so at offset 0). With
 * enabled == 0 (kernel addresses hidden) the audit flag is reported unknown.
 */
struct capable_config {
	struct text_range cap_capable;        /* the tracepoint's caller */
	struct text_range security_capable;   /* cap_capable's caller on the LSM path */
	/* call cap_capable with NOAUDIT (vm_enough_memory), or only to probe (capset) */
	struct text_range noaudit_callers[3];
	struct text_range noaudit_wrappers[WRAPPERS]; /* call security_capable with NOAUDIT */
	struct text_range setid_wrapper;      /* calls security_capable with INSETID */
	__u32 enabled;
	__u32 events;          /* send check events (trace, OTLP) */
	__u32 stacks;          /* record kernel stacks in events */
	__u32 slot_mask;       /* cgroup_counts slots - 1 (a power of two) */
	__u32 audit_mode;      /* enum audit_mode */
	__u32 audited_events;  /* send no check events for noaudit checks */
	__u32 direct_loads;    /* bpf_rdonly_cast(ptr, 0) works (Linux 6.17+): the fast ways */
	__u32 pad;
	/* this architecture's numbers of setns(2) and the mount calls, -1 where unused (runtime.bpf.h) */
	__s32 joining_syscalls[JOINING_SYSCALLS];
	/* setuid, setreuid, setresuid, setfsuid, then the gid ones (denies.bpf.h) */
	__s32 setid_syscalls[SETID_SYSCALLS];
};

/* How the tp_btf program derives the audit flag (tests force the scan, or check one by the other). */
enum audit_mode {
	AUDIT_FIXED_SLOTS = 0, /* the learned frame layout, the scan where it does not match */
	AUDIT_SCAN_ONLY = 1,
	AUDIT_VERIFY = 2,      /* both, counting disagreements in STAT_AUDIT_DISAGREED */
};

/* Unknown, for audit and insetid. */
#define FLAG_UNKNOWN 2

/*
 * A check event: one per new (cgroup, process and program, capability, verdict, audit, syscall)
 * in a window, then one for the repeats of that window when it ends (flush_folds).
 */
struct check_event {
	__u64 boot_ns;        /* bpf_ktime_get_boot_ns() of the first check it stands for */
	__u64 cgroup_id;
	__u64 count;          /* checks it stands for: itself and earlier repeats, or repeats alone */
	__u64 effective_caps; /* the cred's cap_effective */
	__u32 target_userns;  /* inode numbers */
	__u32 current_userns;
	__u32 mntns;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 gid;
	__u32 cap;
	__s32 syscall;        /* -1: not in a system call */
	__s32 stack_id;       /* in the stacks map; -1: none */
	__u32 lineage;        /* ORIGIN_HELD: its entry in the joining map, to learn whose it is */
	__u8 verdict;
	__u8 audit;           /* enum audit */
	__u8 insetid;         /* 0, 1 or FLAG_UNKNOWN */
	__u8 userns_level;    /* as in count_key */
	__u8 origin;          /* enum origin */
	__u8 pad[3];
	char comm[16];
};

/*
 * Key of the fold map: what makes a check event new. exec_id (the task's self_exec_id) gives
 * the program after an execve rows of its own; audit keeps the events of a (cgroup, capability,
 * verdict, audit) summing to what the counters counted.
 */
struct fold_key {
	__u64 cgroup_id;
	__u32 pid;
	__u32 cap;
	__s32 syscall;
	__u32 exec_id;
	__u8 verdict;
	__u8 audit;
	__u8 userns_level;
	__u8 origin;
	__u8 pad[4];
};

/* A CPU's last check (events.bpf.h): a cache line, so CPUs do not share one. */
struct fold_cache {
	struct fold_key key;
	__u64 valid_epoch;         /* event_epoch + 1 of the window the key's event was sent in */
	__u64 word;                /* repeats not yet in the fold map, and a generation */
	__u64 pad[2];
};

struct fold_value {
	__u64 epoch;               /* the window of the last event sent (event_epoch) */
	__u64 repeats;             /* checks since the last event, not yet reported */
	struct check_event last;   /* the last event sent, which a repeats-only event copies */
};

/*
 * The argument of flush_folds, run by user space (BPF_PROG_RUN) once a window, which it ends, and
 * once more at the end.
 */
struct flush_args {
	__u32 all;   /* report every pending repeat, whatever its window (trace's end, shutdown) */
	__u32 pad;
};

/*
 * The argument of settle_entries (runtime.bpf.h), run by user space once a second, and once more
 * with all set after the hooks are detached.
 */
struct settle_args {
	__u32 all;   /* settle every entry, however young */
	__u32 pad;
};

#endif
