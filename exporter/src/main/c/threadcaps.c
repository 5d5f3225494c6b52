// SPDX-License-Identifier: Apache-2.0
/*
 * Sets the capabilities of one thread of this process, chosen by its thread id.
 *
 * Linux keeps capabilities per thread, and capset(2) changes only the calling thread's. A JVM has
 * threads no Java code runs on (the launcher's first thread, whose capabilities /proc/PID/status
 * shows; the collector's; the compilers'), so, as glibc does for setuid(2), the thread is sent a
 * signal whose handler makes the calls itself. Only async-signal-safe calls run in the handler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3};
static struct __user_cap_data_struct wanted[_LINUX_CAPABILITY_U32S_3];
static uint64_t bounding_drop;
static int signal_number;
static atomic_int handled_tid;
static atomic_int handler_error;

static int may_set_pcap(void)
{
	struct __user_cap_header_struct this_thread = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct sets[_LINUX_CAPABILITY_U32S_3];

	return syscall(SYS_capget, &this_thread, sets) == 0 &&
	       (sets[CAP_TO_INDEX(CAP_SETPCAP)].effective & CAP_TO_MASK(CAP_SETPCAP));
}

static int set_this_thread(void)
{
	int error = 0;
	int bounding_allowed = may_set_pcap();

	/* The bounding set first: dropping from it needs CAP_SETPCAP, which capset may take away.
	 * Without CAP_SETPCAP (a container's usual set) the runtime has bounded the set already, and
	 * trying would only add a denied SETPCAP check per capability to the counts. */
	for (int cap = 0; cap < 64 && bounding_allowed; cap++) {
		if ((bounding_drop >> cap & 1) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
			error = errno;
	}
	/* Nothing regained through an execve, whatever the files' capabilities or set-user-ID bits. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
		error = errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		error = errno;
	if (syscall(SYS_capset, &header, wanted) != 0)
		error = errno;
	return error;
}

static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	atomic_store(&handler_error, set_this_thread());
	atomic_store(&handled_tid, (int)syscall(SYS_gettid));
	errno = saved;
}

/*
 * Prepares the capabilities every thread is to hold: permitted and effective `keep`, inheritable
 * and ambient none; `drop_bounding` taken out of the bounding set where the thread may. Returns 0
 * or an errno value.
 */
int threadcaps_prepare(uint64_t keep, uint64_t drop_bounding)
{
	struct sigaction action;

	memset(wanted, 0, sizeof(wanted));
	wanted[0].permitted = wanted[0].effective = (uint32_t)keep;
	wanted[1].permitted = wanted[1].effective = (uint32_t)(keep >> 32);
	bounding_drop = drop_bounding;
	/* A real-time signal: the JVM uses none of them, and they are queued, not merged. */
	signal_number = SIGRTMAX - 2;
	memset(&action, 0, sizeof(action));
	action.sa_handler = on_signal;
	action.sa_flags = SA_RESTART;
	sigfillset(&action.sa_mask);
	return sigaction(signal_number, &action, NULL) == 0 ? 0 : errno;
}

/*
 * Sets the calling thread's effective capabilities to `effective` within its permitted set, which
 * stays: a step can be tried without a capability and the capability raised again. Returns 0 or
 * an errno value.
 */
int threadcaps_set_effective(uint64_t effective)
{
	struct __user_cap_header_struct this_thread = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct sets[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &this_thread, sets) != 0)
		return errno;
	sets[0].effective = (uint32_t)effective & sets[0].permitted;
	sets[1].effective = (uint32_t)(effective >> 32) & sets[1].permitted;
	return syscall(SYS_capset, &this_thread, sets) == 0 ? 0 : errno;
}

/*
 * Applies the prepared capabilities in thread `tid` and waits for it to have done so, up to
 * `timeout_ms`. Returns 0, ESRCH (the thread has ended), ETIMEDOUT (it has the signal blocked or
 * is stopped) or the errno value of the failed call. One thread at a time: callers serialise.
 */
int threadcaps_apply(int tid, int timeout_ms)
{
	struct timespec pause = {.tv_sec = 0, .tv_nsec = 100 * 1000};

	atomic_store(&handled_tid, 0);
	if (syscall(SYS_tgkill, getpid(), tid, signal_number) != 0)
		return errno;
	for (long waited_us = 0; waited_us < timeout_ms * 1000L; waited_us += 100) {
		if (atomic_load(&handled_tid) == tid)
			return atomic_load(&handler_error);
		nanosleep(&pause, NULL);
	}
	return ETIMEDOUT;
}
