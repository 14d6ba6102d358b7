using Cllama.App;
using Cllama.Costs;

namespace Cllama.Tests.Costs;

public sealed class PricingFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("cllama-pricing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    PricingTable LoadWith(string json)
    {
        File.WriteAllText(Path.Combine(_dir, "pricing.json"), json);
        return PricingTable.Load(_dir);
    }

    [Fact]
    public void A_missing_file_or_directory_is_the_built_in_table()
    {
        Assert.Equal(PricingTable.BuiltIn().Count, PricingTable.Load(_dir).Count);
        Assert.Equal(PricingTable.BuiltIn().Count, PricingTable.Load(Path.Combine(_dir, "nope")).Count);
    }

    [Fact]
    public void Overrides_and_extensions()
    {
        var table = LoadWith("""
            // operator prices
            {"models":{
              "openai/gpt-4o":{"input":3,"output":12,"cache_read":1.5,"cache_write":null},
              "acme/model-x":{"input":0.5,"output":1.25},
              "lmstudio/*":{"input":0,"output":0},
              "openai/o3-deep-research":{"input":10,"output":40},
              "openai/gpt-4.1-mini":null,
              "openai/gpt-9":{"input":1,"output":2,"long_context":{"above_input_tokens":100000,"input_multiplier":2,"output_multiplier":1.5}},
            },
            "comment":"other keys are ignored"}
            """);
        Assert.Equal(new ModelPrice(3m, 12m, 1.5m, null, "pricing.json"), table.Lookup("openai", "gpt-4o-2024-08-06"));
        Assert.Equal(new ModelPrice(0.5m, 1.25m, null, null, "pricing.json"), table.Lookup("acme", "model-x-2026"));
        Assert.True(table.Lookup("lmstudio", "anything")!.IsFree);
        Assert.Equal(10m, table.Lookup("openai", "o3-deep-research")!.Input);
        Assert.Null(table.Lookup("openai", "gpt-4.1-mini"));
        Assert.Equal(new LongContextRule(100_000, 2m, 1.5m), table.Lookup("openai", "gpt-9")!.LongContext);
        Assert.Equal(PricingTable.BuiltIn().Lookup("openai", "gpt-4o-mini"), table.Lookup("openai", "gpt-4o-mini"));
    }

    [Fact]
    public void A_byte_order_mark_is_fine()
    {
        File.WriteAllText(Path.Combine(_dir, "pricing.json"), """{"models":{"acme/m":{"input":1,"output":2}}}""", new System.Text.UTF8Encoding(true));
        Assert.NotNull(PricingTable.Load(_dir).Lookup("acme", "m"));
    }

    [Theory]
    [InlineData("{\"models\":{", "invalid JSON")]
    [InlineData("", "invalid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("""{"models":[]}""", "\"models\" must be an object")]
    [InlineData("""{"models":{"gpt-4o":{"input":1,"output":2}}}""", "key \"gpt-4o\" is not \"provider/model\"")]
    [InlineData("""{"models":{"openai/x":{"input":1}}}""", "needs both \"input\" and \"output\"")]
    [InlineData("""{"models":{"openai/x":{"input":1,"output":2,"cache_reads":1}}}""", "unknown field \"cache_reads\"")]
    [InlineData("""{"models":{"openai/x":{"input":-1,"output":2}}}""", "models.\"openai/x\".input: expected a non-negative number")]
    [InlineData("""{"models":{"openai/x":{"input":"1","output":2}}}""", "models.\"openai/x\".input: expected a non-negative number")]
    [InlineData("""{"models":{"openai/x":5}}""", "expected an object with input and output rates")]
    [InlineData("""{"models":{"openai/x":{"input":1,"output":2,"long_context":{"input_multiplier":2}}}}""", "needs a whole \"above_input_tokens\"")]
    public void A_bad_file_is_a_startup_error_naming_the_file_and_the_problem(string json, string problem)
    {
        var e = Assert.Throws<StartupException>(() => LoadWith(json));
        Assert.StartsWith(Path.Combine(_dir, "pricing.json") + ": ", e.Message);
        Assert.Contains(problem, e.Message);
    }
}
