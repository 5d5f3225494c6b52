// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A container runtime in miniature, for the tests of the runtime boundary: it makes runc's order
 * of events, with capability checks of known kinds and numbers at each step.
 *
 *   runtime start --cgroup DIR [--reexec memfd|self|none] [--placed before-reexec|after-reexec]
 *                 [--setup N] [--mover N] -- PROGRAM [ARGS...]
 *   runtime exec --target PID --cgroup DIR [--setup N] [--mover N] -- PROGRAM [ARGS...]
 *   runtime enter --target PID -- PROGRAM [ARGS...]
 *
 * start: forks the container's first process; it makes one umount2 check (SYS_ADMIN, as runc's
 * init mounting a copy of itself; on a directory of its own where nothing is mounted), re-executes itself (from a memfd copy of its binary, as runc
 * 1.1 does; or its binary again; or not) before or after this process writes its pid into
 * DIR/cgroup.procs, then unshares its mount namespace (SYS_ADMIN), makes N chroot("/") checks
 * (SYS_CHROOT) and execs PROGRAM. This process makes --mover chroot checks after placing it (as
 * runc writing the container's device rules), prints the child's pid and waits for it.
 * exec: forks a process that enters the mount namespace of PID with setns (SYS_ADMIN, SYS_CHROOT),
 * forks the one this process then places in DIR (runc's [1:CHILD] and [2:INIT]), which makes N
 * chroot checks and execs PROGRAM. enter: setns into PID's mount namespace, then exec PROGRAM,
 * never placed (nsenter).
 * Prints "pid <N>" of the process that runs PROGRAM; exits with PROGRAM's status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "runtime: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void chroots(int n)
{
	for (int i = 0; i < n; i++)
		if (chroot("/") != 0)
			die("chroot");
}

static void place(const char *dir, pid_t pid)
{
	char path[4096], text[32];
	int fd, len;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY);
	len = snprintf(text, sizeof(text), "%d", pid);
	if (fd < 0 || write(fd, text, len) != len)
		die(path);
	close(fd);
}

static void enter_mounts_of(const char *pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNS) != 0)
		die("setns");
	close(fd);
}

/* The re-exec: argv[0] is kept, "stage2" tells main this is the copy. */
static void reexec(const char *how, char **argv)
{
	char *args[64];
	int i = 0, fd, exe;
	struct stat st;

	args[i++] = argv[0];
	args[i++] = "stage2";
	for (char **a = argv + 1; *a && i < 63; a++)
		args[i++] = *a;
	args[i] = NULL;
	if (strcmp(how, "self") == 0) {
		execv("/proc/self/exe", args);
		die("exec /proc/self/exe");
	}
	fd = memfd_create("runtime-copy", MFD_CLOEXEC);
	exe = open("/proc/self/exe", O_RDONLY);
	if (fd < 0 || exe < 0 || fstat(exe, &st) != 0 ||
	    sendfile(fd, exe, NULL, st.st_size) != st.st_size)
		die("memfd copy");
	fexecve(fd, args, environ);
	die("fexecve");
}

struct options {
	const char *mode, *cgroup, *reexec, *placed, *target;
	int setup, mover;
	char **program;
};

static struct options parse(int argc, char **argv)
{
	struct options o = { argv[1], NULL, "none", "after-reexec", NULL, 0, 0, NULL };
	int i = 2;

	for (; i + 1 < argc && strcmp(argv[i], "--") != 0; i += 2) {
		if (strcmp(argv[i], "--cgroup") == 0)
			o.cgroup = argv[i + 1];
		else if (strcmp(argv[i], "--reexec") == 0)
			o.reexec = argv[i + 1];
		else if (strcmp(argv[i], "--placed") == 0)
			o.placed = argv[i + 1];
		else if (strcmp(argv[i], "--target") == 0)
			o.target = argv[i + 1];
		else if (strcmp(argv[i], "--setup") == 0)
			o.setup = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--mover") == 0)
			o.mover = atoi(argv[i + 1]);
		else
			break;
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
		fprintf(stderr, "usage: see runtime.c\n");
		exit(2);
	}
	o.program = argv + i + 1;
	return o;
}

static int wait_for(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The container's first process, after the re-exec: set up, then the workload. */
static void stage2(struct options o)
{
	const char *wait_fd = getenv("RUNTIME_WAIT_FD");
	char byte;

	if (wait_fd && read(atoi(wait_fd), &byte, 1) != 1)
		die("read");
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		die("unshare");
	chroots(o.setup);
	execv(o.program[0], o.program);
	die(o.program[0]);
}

static int start(struct options o, char **argv)
{
	int go[2], ready[2];
	char byte = 0;
	pid_t child;

	if (pipe(go) != 0 || pipe(ready) != 0)
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		bool placed_first = strcmp(o.placed, "before-reexec") == 0;
		char fd[16];

		char unmounted[] = "/tmp/runtime-umount.XXXXXX";

		close(go[1]);
		/* SYS_ADMIN, then EINVAL: nothing is mounted there */
		if (!mkdtemp(unmounted) || umount2(unmounted, 0) == 0 || rmdir(unmounted) != 0)
			die("umount2");
		if (placed_first && read(go[0], &byte, 1) != 1)
			die("read");
		snprintf(fd, sizeof(fd), "%d", go[0]);
		if (!placed_first)
			setenv("RUNTIME_WAIT_FD", fd, 1);
		if (strcmp(o.reexec, "none") != 0)
			reexec(o.reexec, argv);
		stage2(o);
	}
	close(go[0]);
	if (strcmp(o.placed, "after-reexec") == 0)
		usleep(100 * 1000); /* the re-exec comes first */
	place(o.cgroup, child);
	chroots(o.mover);
	if (write(go[1], &byte, 1) != 1)
		die("write");
	printf("pid %d\n", child);
	fflush(stdout);
	return wait_for(child);
}

static int exec_into(struct options o)
{
	int pids[2], placed[2];
	pid_t child, init;

	if (pipe(pids) != 0 || pipe(placed) != 0)
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) { /* runc:[1:CHILD]: enters, forks the one to place, goes */
		int go[2];
		char byte = 0;

		enter_mounts_of(o.target);
		if (pipe(go) != 0)
			die("pipe");
		init = fork();
		if (init < 0)
			die("fork");
		if (init == 0) { /* runc:[2:INIT]: waits to be placed */
			close(go[1]);
			if (read(go[0], &byte, 1) != 1)
				die("read");
			chroots(o.setup);
			execv(o.program[0], o.program);
			die(o.program[0]);
		}
		if (write(pids[1], &init, sizeof(init)) != sizeof(init))
			die("write");
		/* Told by the parent once it is placed: the parent cannot write to our pipe. */
		if (read(placed[0], &byte, 1) != 1 || write(go[1], &byte, 1) != 1)
			die("relay");
		return wait_for(init);
	}
	if (read(pids[0], &init, sizeof(init)) != sizeof(init))
		die("read");
	place(o.cgroup, init);
	chroots(o.mover);
	if (write(placed[1], "g", 1) != 1)
		die("write");
	printf("pid %d\n", init);
	fflush(stdout);
	return wait_for(child);
}

int main(int argc, char **argv)
{
	struct options o;

	if (argc > 1 && strcmp(argv[1], "stage2") == 0) {
		argv[1] = argv[0];
		o = parse(argc - 1, argv + 1);
		stage2(o);
	}
	if (argc < 2) {
		fprintf(stderr, "usage: see runtime.c\n");
		return 2;
	}
	o = parse(argc, argv);
	if (strcmp(o.mode, "start") == 0 && o.cgroup)
		return start(o, argv);
	if (strcmp(o.mode, "exec") == 0 && o.cgroup && o.target)
		return exec_into(o);
	if (strcmp(o.mode, "enter") == 0 && o.target) {
		enter_mounts_of(o.target);
		execv(o.program[0], o.program);
		die(o.program[0]);
	}
	fprintf(stderr, "usage: see runtime.c\n");
	return 2;
}
