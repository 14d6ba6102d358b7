using System.Text;

namespace Cllama.Dashboard;

/// <summary>
/// Parses <c>application/x-www-form-urlencoded</c> bodies and query strings: <c>+</c> is a space, <c>%XX</c> are
/// UTF-8 bytes. The first occurrence of a name wins, so a smuggled duplicate cannot override a field.
/// </summary>
public sealed class FormReader
{
    readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);

    FormReader() { }

    public static FormReader Parse(ReadOnlySpan<byte> body) => Parse(Encoding.UTF8.GetString(body));

    /// <param name="text">The encoded pairs; a leading <c>?</c> (a query string) is skipped.</param>
    public static FormReader Parse(string text)
    {
        var form = new FormReader();
        if (text.StartsWith('?'))
            text = text[1..];
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string name = Decode(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            form._fields.TryAdd(name, value);
        }
        return form;
    }

    public string? this[string name] => _fields.GetValueOrDefault(name);

    static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
