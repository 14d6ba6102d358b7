using System.Net.Sockets;
using System.Text;

namespace Cllama.Daemon;

/// <summary>
/// sd_notify without libsystemd: one datagram to the unix socket named by NOTIFY_SOCKET (a leading '@' means the
/// abstract namespace). Silent when the variable is unset, as under a plain shell or in a container.
/// </summary>
static class SystemdNotify
{
    public static void Send(string state)
    {
        string? path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path))
            return;
        if (path[0] == '@')
            path = "\0" + path[1..];
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"sd_notify: cannot reach NOTIFY_SOCKET ({e.SocketErrorCode})");
        }
    }
}
