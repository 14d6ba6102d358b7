using System.Globalization;

namespace Cllama.Tests.Governance;

/// <summary>One sample of a Prometheus text exposition: name, labels, value (kept as text so money stays exact).</summary>
public sealed record PromSample(string Name, IReadOnlyDictionary<string, string> Labels, string Value)
{
    public double Number => Value == "+Inf" ? double.PositiveInfinity : double.Parse(Value, CultureInfo.InvariantCulture);
    public decimal Money => decimal.Parse(Value, NumberStyles.Float, CultureInfo.InvariantCulture);
    public string this[string label] => Labels.TryGetValue(label, out var v) ? v : "";
}

/// <summary>A strict reader of the text format (version 0.0.4), enough to check what /metrics writes.</summary>
public static class PrometheusText
{
    public static List<PromSample> Parse(string text)
    {
        var samples = new List<PromSample>();
        var typed = new HashSet<string>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.True(typed.Add(line.Split(' ')[2]), $"family typed twice: {line}");
                continue;
            }
            if (line.StartsWith('#'))
                continue;
            int brace = line.IndexOf('{');
            int space = line.LastIndexOf(' ');
            string name = brace >= 0 ? line[..brace] : line[..space];
            var labels = new Dictionary<string, string>();
            if (brace >= 0)
            {
                int i = brace + 1;
                while (line[i] != '}')
                {
                    int eq = line.IndexOf('=', i);
                    string key = line[i..eq];
                    Assert.Equal('"', line[eq + 1]);
                    var value = new System.Text.StringBuilder();
                    int j = eq + 2;
                    for (; line[j] != '"'; j++)
                    {
                        if (line[j] == '\\')
                            value.Append(line[++j] switch { 'n' => '\n', var c => c });
                        else
                            value.Append(line[j]);
                    }
                    labels[key] = value.ToString();
                    i = j + 1;
                    if (line[i] == ',')
                        i++;
                }
            }
            string family = name.EndsWith("_bucket") || name.EndsWith("_sum") || name.EndsWith("_count") ? name[..name.LastIndexOf('_')] : name;
            Assert.True(typed.Contains(family) || typed.Contains(name), $"sample before its # TYPE: {line}");
            samples.Add(new PromSample(name, labels, line[(space + 1)..]));
        }
        return samples;
    }
}
