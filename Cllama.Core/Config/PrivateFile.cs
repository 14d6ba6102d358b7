namespace Cllama.Config;

/// <summary>Files that hold secrets (provider keys, the dashboard token).</summary>
public static class PrivateFile
{
    /// <summary>
    /// Replaces <paramref name="path"/> atomically: a temp file in the same directory (so the rename stays on one
    /// filesystem), created 0600 from the start (never briefly readable by others), fsynced, then renamed over the
    /// old one. Readers see the old or the new file, never a half-written one.
    /// </summary>
    public static void WriteAtomic(string path, Action<Stream> write)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(dir);
        else
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
