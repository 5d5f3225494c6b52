/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The few kernel types capable.bpf.c touches, instead of a generated vmlinux.h.
 *
 * Why not vmlinux.h: it is ~150k lines, architecture-specific and must be regenerated from some
 * kernel's BTF; these declarations are all the program needs. preserve_access_index makes every
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
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
};
enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};
enum {
	BPF_F_NO_PREALLOC = 1,
};

struct user_namespace;

struct cred {
} __attribute__((preserve_access_index));

struct task_struct {
	const struct cred *real_cred;
} __attribute__((preserve_access_index));

#endif
