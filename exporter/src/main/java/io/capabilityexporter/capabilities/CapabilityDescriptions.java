package io.capabilityexporter.capabilities;

import java.util.List;

/** What each capability allows, in one line, after capabilities(7). */
public final class CapabilityDescriptions {
  private static final List<String> DESCRIPTIONS =
      List.of(
          "change the owner and group of any file (chown)",
          "bypass file read, write and execute permission checks",
          "bypass file read and directory read and search permission checks",
          "bypass checks that need the caller to own the file (chmod, utime...)",
          "keep set-user-ID and set-group-ID bits when a file is modified",
          "send signals to any process",
          "set any group ID; forge group IDs over UNIX sockets",
          "set any user ID; forge user IDs over UNIX sockets",
          "change capabilities of itself (bounding set, securebits)",
          "set the immutable and append-only file attributes",
          "bind to ports below 1024",
          "broadcast and listen to multicast (unused by the kernel)",
          "administer networking: interfaces, routes, firewall, sockets' options",
          "use RAW and PACKET sockets; bind to any address",
          "lock memory (mlock, mlockall, SHM_LOCK)",
          "bypass permission checks on System V IPC objects",
          "load and unload kernel modules",
          "raw I/O: ioperm, iopl, /dev/mem, block devices",
          "change the root directory (chroot)",
          "trace and inspect any process (ptrace, process_vm_readv)",
          "turn process accounting on and off (acct)",
          "a wide range of administration: mount, sethostname, namespaces, BPF before 5.8...",
          "reboot the system, load a new kernel (kexec)",
          "raise priorities and set scheduling policies of any process (nice, setpriority)",
          "override resource limits and quotas",
          "set the system clock",
          "configure tty devices (vhangup)",
          "make device special files (mknod)",
          "take file leases (fcntl F_SETLEASE)",
          "write records to the kernel audit log",
          "configure kernel auditing",
          "set file capabilities",
          "override Mandatory Access Control (Smack)",
          "configure Mandatory Access Control (Smack)",
          "privileged syslog operations; see kernel addresses in /proc/kallsyms",
          "set alarms that wake the system (CLOCK_*_ALARM timers)",
          "keep the system from suspending (EPOLLWAKEUP, wake locks)",
          "read the audit log through a multicast netlink socket",
          "use performance monitoring (perf_event_open) and tracing BPF programs",
          "use the bpf() system call: maps and programs",
          "checkpoint and restore processes (set_tid, /proc/PID/map_files)");

  private CapabilityDescriptions() {}

  /** One line for a capability; for a number newer than this table, says so. */
  public static String of(int number) {
    return number >= 0 && number < DESCRIPTIONS.size()
        ? DESCRIPTIONS.get(number)
        : "a capability newer than this exporter";
  }
}
