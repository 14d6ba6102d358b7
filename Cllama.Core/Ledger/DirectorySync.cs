using System.Runtime.InteropServices;

namespace Cllama.Ledger;

/// <summary>
/// fsync on a directory, so that a newly created segment or a renamed snapshot survives a power cut, not only a crash:
/// on Linux the name lives in the directory, which the file's own fsync does not cover. .NET cannot open a directory
/// as a file, hence libc.
/// </summary>
static class DirectorySync
{
    const int ORdOnly = 0, OCloExec = 0x80000;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
            return;
        int fd = Open(directory, ORdOnly | OCloExec);
        if (fd < 0)
            throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    static extern int Close(int fd);
}
