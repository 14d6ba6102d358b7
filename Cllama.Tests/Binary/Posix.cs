using System.Runtime.InteropServices;

namespace Cllama.Tests.Binary;

/// <summary>Signals for the child process: .NET's Process.Kill only sends SIGKILL, and a drain needs SIGTERM.</summary>
static class Posix
{
    public const int SIGTERM = 15;
    public const int SIGINT = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SysKill(int pid, int signal);

    public static void Signal(int pid, int signal)
    {
        if (SysKill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
