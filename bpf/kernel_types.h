/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The few kernel types the programs touch, instead of a generated vmlinux.h.
 *
 * Why not vmlinux.h: it is ~150k lines, architecture-specific and must be regenerated from some
 * kernel's BTF; these declarations are all the programs need. preserve_access_index makes every
 * field access a CO-RE relocation, so libbpf fixes the offsets against the running kernel's BTF
 * at load time: the layout written here does not have to match any kernel.
 */
#ifndef __CAPABILITY_EXPORTER_KERNEL_TYPES_H
#define __CAPABILITY_EXPORTER_KERNEL_TYPES_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
enum { false = 0, true = 1 };

/* Map types and flags from include/uapi/linux/bpf.h: ABI, never renumbered. */
enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_STACK_TRACE = 7,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
};
enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
};
enum {
	BPF_F_NO_PREALLOC = 1,
	BPF_F_MMAPABLE = 1024,
};

#define offsetof(type, member) __builtin_offsetof(type, member)

/* include/linux/sched.h */
#define PF_KTHREAD 0x00200000

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

typedef struct {
	unsigned int val;
} kuid_t;

/* level: 0 for the host's (init) user namespace, one more for each nested one. */
struct user_namespace {
	struct ns_common ns;
	int level;
	kuid_t owner;
} __attribute__((preserve_access_index));

struct mnt_namespace {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct nsproxy {
	struct mnt_namespace *mnt_ns;
} __attribute__((preserve_access_index));

typedef struct {
	unsigned int val;
} kgid_t;

/* 8 bytes on every kernel: u32 cap[2] before 6.3, one u64 since. */
typedef struct {
	__u64 val;
} kernel_cap_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kuid_t euid;
	kernel_cap_t cap_effective;
	struct user_namespace *user_ns;
} __attribute__((preserve_access_index));

/* kn->id is the cgroup v2 id: the directory's inode number (u64 since Linux 5.5). */
struct kernfs_node {
	__u64 id;
} __attribute__((preserve_access_index));

struct cgroup_root;

struct cgroup {
	struct kernfs_node *kn;
	struct cgroup_root *root;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

typedef struct {
	int counter;
} atomic_t;

struct signal_struct {
	atomic_t live;      /* threads of the process not yet exiting */
	unsigned int flags; /* SIGNAL_GROUP_EXIT once the whole process is exiting */
} __attribute__((preserve_access_index));

struct task_struct {
	void *stack;
	unsigned int flags;
	const struct cred *real_cred;
	char comm[16];
	struct nsproxy *nsproxy;
	struct css_set *cgroups;
	__u64 self_exec_id; /* one more at each execve (u64 since 5.7) */
	int pid;            /* the thread's id */
	int tgid;           /* the process's */
	struct task_struct *real_parent;
	struct signal_struct *signal;
	struct mm_struct *mm;
	int exit_code; /* as do_exit() was given it: status << 8, or the signal */
} __attribute__((preserve_access_index));

/* i_nlink is 0 for a file with no name on any file system: a memfd, an O_TMPFILE, a deleted one. */
struct inode {
	unsigned int i_nlink;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
} __attribute__((preserve_access_index));

struct mm_struct {
	struct file *exe_file; /* the program the process runs */
} __attribute__((preserve_access_index));

struct linux_binprm {
	struct file *file; /* the program being exec'd */
} __attribute__((preserve_access_index));

/* The syscall number, per architecture: libbpf matches these "flavors" to struct pt_regs. */
struct pt_regs___x86 {
	unsigned long di; /* the first three arguments of a system call */
	unsigned long si;
	unsigned long dx;
	unsigned long orig_ax;
} __attribute__((preserve_access_index));

struct pt_regs___arm64 {
	unsigned long regs[31];
	unsigned long orig_x0; /* the first argument as the call was made */
	int syscallno;
} __attribute__((preserve_access_index));

#endif
