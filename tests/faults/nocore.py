"""nocore.py: does a process that aborts leave a core dump?

    python3 nocore.py DIR [VAR=VALUE...] CMD...

Runs, in DIR with RLIMIT_CORE raised to its hard limit, first a control
(a Python child that raises SIGABRT) and then CMD, which must end itself
by a signal (killshim.so with KILLSHIM_SIGNAL does).  Prints one line,
"control=D cmd=D files=N": D is "dumped" when the kernel says in the
wait status that it wrote a core, else "none"; N counts files in DIR
afterwards, where a core_pattern of "core" would have put one.  The
VAR=VALUE pairs are set for CMD alone (LD_PRELOAD, say).  The
wait status is what tells, whatever core_pattern says: it also covers a
pattern that pipes to a handler, which RLIMIT_CORE does not stop.
"""
import os
import resource
import signal
import sys


def run(argv, env=None):
    pid = os.fork()
    if pid == 0:
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_CORE)
            resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
            os.chdir(sys.argv[1])
            if argv is None:
                signal.signal(signal.SIGABRT, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGABRT)
            else:
                os.environ.update(env)
                os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status = os.waitpid(pid, 0)
    if not os.WIFSIGNALED(status):
        return "exit-%d" % os.WEXITSTATUS(status)
    return "dumped" if os.WCOREDUMP(status) else "none"


def main():
    control = run(None)
    for name in os.listdir(sys.argv[1]):
        os.unlink(os.path.join(sys.argv[1], name))
    args, env = sys.argv[2:], {}
    while args and "=" in args[0]:
        name, value = args.pop(0).split("=", 1)
        env[name] = value
    cmd = run(args, env)
    files = len(os.listdir(sys.argv[1]))
    print("control=%s cmd=%s files=%d" % (control, cmd, files))


main()
