//! The guardian: a small process outside ours that kills the process groups
//! of our child processes when we die, by any death.
//!
//! The parent-death signal reaches only a direct child, and only where the
//! OS has one; what that child started stays in its process group, and
//! would be left to PID 1 by our SIGKILL, `abort`, `exit` or the OOM
//! killer. Nothing in a process that dies can act on its own death, so the
//! guardian lives outside it: a POSIX shell whose stdin is one end of a
//! socket pair whose other end only we hold (close-on-exec, so no child of
//! ours inherits it). We tell it each group we start (`+pgid`) and each
//! group we have reaped (`-pgid`); when its `read` meets end-of-file, we
//! are gone, however we went (the kernel closes a dead process's
//! descriptors), and it sends SIGKILL to each group still on its list, then
//! exits. It is started with the first group, lives in a process group of
//! its own (a Ctrl-C or a signal to our group does not reach it; it ignores
//! SIGHUP, SIGINT, SIGQUIT and SIGTERM besides), and exits with us.
//!
//! Why a shell, and not something else:
//! - a `fork` of our own process, without `exec`, needs nothing on disk, and
//!   could live on `read`, `kill` and `_exit` (async-signal-safe, as a fork
//!   of a threaded process requires), but it is a copy of us: every page we
//!   had at the fork stays alive in it as we free or change ours (up to
//!   twice our memory over a long run), the OOM killer scores it as big as
//!   we were, and it holds every descriptor we had open until it closes
//!   them all (else a child's piped stdin never sees end-of-file);
//! - running our own executable again runs the user's `main`;
//! - a watcher of our pid (kqueue's `NOTE_EXIT` on macOS and the BSDs, a
//!   pidfd on Linux) would differ on each OS; end-of-file on a socket says
//!   the same thing everywhere;
//! - `PR_SET_CHILD_SUBREAPER` (Linux) and `PROC_REAP_ACQUIRE` (FreeBSD) make
//!   orphans ours while we live, and do nothing once we are dead;
//! - a PID namespace (Linux) kills all of it with its first process, but
//!   needs user namespaces, often disabled, and changes what the child sees.
//!
//! A shell costs one small process for our lifetime, and needs `/bin/sh`
//! (present on every Unix but the smallest container images). The script
//! uses only POSIX builtins, run with an empty environment; it has been run
//! under dash, bash, bash --posix, mksh and busybox ash.
//!
//! Without `/bin/sh`, a warning is logged once and the rest still holds:
//! groups are killed by every orderly end, and the parent-death signal
//! reaches the direct child.
//!
//! What it cannot do:
//! - guard a group before it is told of it: a death of ours between a
//!   child's start and the one `send` that follows leaves what the child
//!   started in that instant (the child itself dies by the parent-death
//!   signal, where there is one). Telling it from the child, before `exec`,
//!   would leave a group it was never told to let go of when the `exec`
//!   fails, and we could not name it;
//! - reach a process that left the group (`setsid`, a shell's job control):
//!   only a cgroup (Linux) or a reaper (FreeBSD) sees those;
//! - act while it is dead: if someone kills it, the next start or end of a
//!   child process finds out, and a new guardian takes every group over;
//! - tell a group from one made later with the same id, in the moment
//!   between our death and its SIGKILL: if a group's last process ended in
//!   that moment and a new group took its id, that group is killed. While
//!   we live it cannot happen: a group is let go of before its leader is
//!   reaped, and the guardian reads changes in order;
//! - on macOS, which makes a socket pair close-on-exec only after it is
//!   made, a process another thread starts at that very instant holds our
//!   end too, and the guardian hears of our death only when that process
//!   ends.

use crate::sync::real::Mutex;
use rustix::net::SendFlags;
use rustix::process::Pid;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

/// What the guardian runs: it keeps the list of groups, and kills those
/// left on it when we are gone. `kill -KILL -N` is the spelling of "to the
/// group N" that every shell above reads the same (`kill -s KILL -- -N`
/// is not: busybox refuses the `--`).
const SCRIPT: &str = "\
trap '' HUP INT QUIT TERM
groups=
while read -r change; do
    case $change in
    +*) groups=\"$groups ${change#+}\" ;;
    -*) left=
        for group in $groups; do
            case $group in
            \"${change#-}\") ;;
            *) left=\"$left $group\" ;;
            esac
        done
        groups=$left ;;
    esac
done
for group in $groups; do
    kill -KILL \"-$group\"
done
";

#[cfg(not(target_os = "android"))]
const SHELL: &str = "/bin/sh";
#[cfg(target_os = "android")]
const SHELL: &str = "/system/bin/sh";

/// Never SIGPIPE when the guardian is gone: a Rust program ignores it, a C
/// or Python host may not, and it would kill us. Apple has no flag for it;
/// there the socket is set `SO_NOSIGPIPE` instead.
#[cfg(not(any(target_vendor = "apple", target_os = "redox")))]
const SEND: SendFlags = SendFlags::NOSIGNAL;
#[cfg(any(target_vendor = "apple", target_os = "redox"))]
const SEND: SendFlags = SendFlags::empty();

/// Every group of ours that runs, and the guardian told of them.
static GUARDED: Mutex<Guarded> = Mutex::new(Guarded {
    groups: Vec::new(),
    guardian: None,
    warned: false,
});

/// Puts `group` in the guardian's care, starting the guardian if there is
/// none yet. Call it as soon as the group's leader is started.
pub(super) fn guard(group: Pid) {
    let mut guarded = GUARDED.lock();
    guarded.groups.push(group);
    guarded.tell(Change::Guard(group));
}

/// Takes `group` out of the guardian's care. Call it before its leader is
/// reaped: from then on its id may be given to another process, and the
/// guardian reads changes in order, so it never kills a group after this.
pub(super) fn release(group: Pid) {
    let mut guarded = GUARDED.lock();
    let Some(at) = guarded.groups.iter().position(|&g| g == group) else {
        return;
    };
    guarded.groups.swap_remove(at);
    guarded.tell(Change::Release(group));
}

#[derive(Debug)]
struct Guarded {
    groups: Vec<Pid>,
    guardian: Option<Guardian>,
    /// Whether the guardian's failure to start has been logged.
    warned: bool,
}

impl Guarded {
    /// Tells the guardian; if it is gone (or not started), starts one and
    /// tells it every group of ours instead.
    fn tell(&mut self, change: Change) {
        if let Some(guardian) = &mut self.guardian {
            if guardian.send(change).is_ok() {
                return;
            }
            // Someone killed it: reap it, and let a new one take over.
            guardian.end();
            self.guardian = None;
        }
        if self.groups.is_empty() {
            return;
        }
        match Guardian::start(&self.groups) {
            Ok(guardian) => self.guardian = Some(guardian),
            Err(error) if !self.warned => {
                self.warned = true;
                report!(
                    Warn,
                    "more_threads::process",
                    "could not start the guardian of child processes ({SHELL}: {error}): \
                     if this process dies by SIGKILL, abort or exit, what its child \
                     processes started may outlive it"
                );
            }
            Err(_) => {}
        }
    }
}

/// A change to the guardian's list.
#[derive(Debug, Clone, Copy)]
enum Change {
    Guard(Pid),
    Release(Pid),
}

/// The guardian process, and our end of its stdin.
#[derive(Debug)]
struct Guardian {
    process: Child,
    socket: UnixStream,
}

impl Guardian {
    /// Starts a guardian and tells it `groups`.
    fn start(groups: &[Pid]) -> io::Result<Guardian> {
        let (ours, its) = UnixStream::pair()?;
        #[cfg(target_vendor = "apple")]
        rustix::net::sockopt::set_socket_nosigpipe(&ours, true)?;
        let process = Command::new(SHELL)
            // What `ps` shows first: says what it is.
            .arg0("more-threads-guardian")
            .args(["-c", SCRIPT])
            .env_clear()
            .current_dir("/")
            .stdin(Stdio::from(OwnedFd::from(its)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()?;
        let mut guardian = Guardian {
            process,
            socket: ours,
        };
        for &group in groups {
            if let Err(error) = guardian.send(Change::Guard(group)) {
                guardian.end();
                return Err(error);
            }
        }
        Ok(guardian)
    }

    /// Sends one change, a line of at most 12 bytes.
    fn send(&mut self, change: Change) -> io::Result<()> {
        let (sign, group) = match change {
            Change::Guard(group) => ('+', group),
            Change::Release(group) => ('-', group),
        };
        let line = format!("{sign}{}\n", group.as_raw_nonzero());
        let mut unsent = line.as_bytes();
        while !unsent.is_empty() {
            match rustix::net::send(&self.socket, unsent, SEND) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(sent) => unsent = &unsent[sent..],
                Err(rustix::io::Errno::INTR) => continue,
                Err(errno) => return Err(errno.into()),
            }
        }
        Ok(())
    }

    /// Ends and reaps a guardian that can no longer be told (so it is no
    /// zombie of ours). Killed first, never let go by closing its socket:
    /// a guardian that hears end-of-file kills every group on its list.
    fn end(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::GUARDED;
    use crate::process::Process;
    use rustix::process::Pid;

    fn guarded(group: Pid) -> bool {
        GUARDED.lock().groups.contains(&group)
    }

    #[test]
    fn a_group_is_guarded_from_its_start_until_its_leader_is_reaped() {
        let mut command = std::process::Command::new("sleep");
        command.arg("30");
        let sleeper = Process::run("sleeper", command).unwrap();
        let group = Pid::from_raw(i32::try_from(sleeper.pid()).unwrap()).unwrap();
        assert!(guarded(group), "not guarded once started");
        sleeper.stop();
        sleeper.join().unwrap();
        assert!(
            !guarded(group),
            "still guarded once reaped: its id may be reused, and a group \
             made with it would be killed when we die"
        );
    }
}
