using Cllama.Agents;

namespace Cllama.Tests.Agents;

public class AgentIdTests
{
    [Theory]
    [InlineData("tiverton")]
    [InlineData("A")]
    [InlineData("9lives")]
    [InlineData("agent.v2_blue-1")]
    public void Accepts_the_grammar(string id) => Assert.True(AgentId.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("-dash")]
    [InlineData("_under")]
    [InlineData("sp ace")]
    [InlineData("tivertön")]
    [InlineData("a\0b")]
    public void Refuses_everything_else(string id) => Assert.False(AgentId.IsValid(id));

    [Fact]
    public void Length_limit_is_128()
    {
        Assert.True(AgentId.IsValid(new string('a', 128)));
        Assert.False(AgentId.IsValid(new string('a', 129)));
    }
}
