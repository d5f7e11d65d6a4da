//! The POSIX side of a child process, through rustix: its own process
//! group (so that a signal reaches its children too), the parent-death
//! signal (so that it dies with us at once), the [guardian](super::guardian)
//! (so that what it started dies with us too), and the signals that end
//! it, never sent once it is reaped (its pid could then be someone else's).

use super::guardian;
use crate::sync::real::Mutex;
use rustix::process::{Pid, Signal};
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};

/// Makes `command` start in a process group of its own and, where the OS
/// has one (Linux, FreeBSD), die by SIGKILL when the thread that starts it
/// ends: that thread lives exactly as long as the process is watched, so
/// if our process dies, even by SIGKILL, the child dies with it. What the
/// child starts in its group is the guardian's (see [`Group::of`]).
pub(super) fn prepare(command: &mut Command) {
    command.process_group(0);
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    {
        let parent = rustix::process::getpid();
        // SAFETY: the closure runs in the child between fork and exec, where
        // only async-signal-safe calls are allowed. It makes two system
        // calls through rustix (prctl/procctl, getppid), which neither
        // allocate nor take locks, and builds its error from a raw errno
        // (no allocation either). It captures a `Pid` (a plain integer) by
        // value, so nothing it touches can have been freed or be held by
        // another thread of the parent at the fork. A panic cannot happen
        // in it: neither call panics, and the comparison does not.
        unsafe {
            command.pre_exec(move || {
                rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
                // The parent may have died between the fork and the prctl:
                // then the signal would never come. Exit instead.
                if rustix::process::getppid() != Some(parent) {
                    return Err(io::Error::from_raw_os_error(libc_esrch()));
                }
                Ok(())
            });
        }
    }
}

/// `ESRCH`, "no such process", as the error of a child whose parent died.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
fn libc_esrch() -> i32 {
    rustix::io::Errno::SRCH.raw_os_error()
}

/// A started child's process group, which ends with it.
pub(super) struct Group {
    pgid: Pid,
    /// Set once the leader is reaped: from then on its pid is free for the
    /// OS to give to another process, and no signal is sent to it.
    reaped: Mutex<bool>,
}

impl Group {
    /// The group `child` leads (started through [`prepare`]), in the
    /// guardian's care from now until it is reaped: if we die before, by
    /// any death, the guardian kills the whole group. Call it at once after
    /// the start: a death of ours before it leaves what the child started
    /// in that instant (the child itself dies by the parent-death signal,
    /// where there is one).
    pub(super) fn of(child: &Child) -> Group {
        let pgid = Pid::from_child(child);
        guardian::guard(pgid);
        Group {
            pgid,
            reaped: Mutex::new(false),
        }
    }

    /// Sends `signal` to every process in the group, unless the leader has
    /// been reaped. Says whether it was sent.
    pub(super) fn signal(&self, signal: Signal) -> bool {
        let reaped = self.reaped.lock();
        !*reaped && rustix::process::kill_process_group(self.pgid, signal).is_ok()
    }

    /// Waits until the leader exits; then ends what it left in its group
    /// (SIGKILL: a process that outlives its leader is left behind, and
    /// nothing outlives its node), and reaps it.
    pub(super) fn wait(&self, child: &mut Child) -> io::Result<ExitStatus> {
        // Waits without reaping: the leader stays a zombie, so its pid (the
        // group's id) cannot be reused while the leftovers are signalled.
        #[cfg(not(any(target_os = "openbsd", target_os = "redox", target_os = "cygwin")))]
        {
            use rustix::process::{WaitId, WaitIdOptions};
            loop {
                match rustix::process::waitid(
                    WaitId::Pid(self.pgid),
                    WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
                ) {
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(errno) => return Err(errno.into()),
                    Ok(_) => break,
                }
            }
            let mut reaped = self.reaped.lock();
            let _ = rustix::process::kill_process_group(self.pgid, Signal::KILL);
            // While the leader is a zombie its id is ours: the guardian
            // lets go of it before it can be anyone else's.
            guardian::release(self.pgid);
            // A zombie: this returns at once.
            let status = child.wait();
            *reaped = true;
            status
        }
        // Without `waitid`, the leader is reaped as it is waited for, and
        // what it left in its group is not ended; the guardian lets go of
        // the group just after (its id is free again from the reaping on:
        // a death of ours in that instant could kill a group just made
        // with the same id).
        #[cfg(any(target_os = "openbsd", target_os = "redox", target_os = "cygwin"))]
        {
            let status = child.wait();
            *self.reaped.lock() = true;
            guardian::release(self.pgid);
            status
        }
    }
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Group({})", self.pgid.as_raw_nonzero())
    }
}
