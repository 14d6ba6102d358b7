using Cllama.Dashboard;
using Cllama.Http;

namespace Cllama.Tests.Dashboard;

public class DashboardParsingTests
{
    [Theory]
    [InlineData("name=open+router&x=1", "name", "open router")]
    [InlineData("base_url=https%3A%2F%2Fa.example%2Fv1", "base_url", "https://a.example/v1")]
    [InlineData("k=%2B%26%3D", "k", "+&=")]
    [InlineData("?token=abc", "token", "abc")]
    [InlineData("a=%C3%A9t%C3%A9", "a", "été")]
    [InlineData("flag&b=2", "flag", "")]
    [InlineData("name=first&name=second", "name", "first")]
    public void Form_fields_are_decoded(string body, string field, string expected) =>
        Assert.Equal(expected, FormReader.Parse(body)[field]);

    [Fact]
    public void A_missing_form_field_is_null() => Assert.Null(FormReader.Parse("a=1")["b"]);

    [Theory]
    [InlineData("cllama_session=abc", "abc")]
    [InlineData("theme=dark; cllama_session=abc; other=1", "abc")]
    [InlineData("cllama_session_old=zzz; cllama_session=abc", "abc")]
    [InlineData("xcllama_session=abc", null)]
    [InlineData(null, null)]
    public void The_session_cookie_is_found_among_others(string? header, string? expected) =>
        Assert.Equal(expected, Cookies.Get(header, DashboardAuth.CookieName));

    static HttpRequestHead Request(string host, string? origin = null, string? referer = null)
    {
        var r = new HttpRequestHead { Method = "POST", Path = "/providers" };
        r.Headers.Add("host", host);
        if (origin is not null) r.Headers.Add("origin", origin);
        if (referer is not null) r.Headers.Add("referer", referer);
        return r;
    }

    [Theory]
    [InlineData("127.0.0.1:8081", "http://127.0.0.1:8081", null, true)]
    [InlineData("dash.example:8081", "https://dash.example:8081", null, true)]
    [InlineData("127.0.0.1:8081", "http://evil.example", null, false)]
    [InlineData("127.0.0.1:8081", "http://127.0.0.1:8082", null, false)]
    [InlineData("127.0.0.1:8081", "http://127.0.0.1:8081.evil.example", null, false)]
    [InlineData("127.0.0.1:8081", "null", null, false)]
    [InlineData("127.0.0.1:8081", null, "http://127.0.0.1:8081/", true)]
    [InlineData("127.0.0.1:8081", null, "http://127.0.0.1:8081/costs?x", true)]
    [InlineData("127.0.0.1:8081", null, "http://127.0.0.1:80812/", false)]
    [InlineData("127.0.0.1:8081", null, "http://evil.example/http://127.0.0.1:8081/", false)]
    [InlineData("127.0.0.1:8081", null, null, false)]
    public void Origin_or_referer_must_name_our_host(string host, string? origin, string? referer, bool same) =>
        Assert.Equal(same, OriginCheck.IsSameOrigin(Request(host, origin, referer)));

    [Fact]
    public void A_cross_origin_Origin_is_not_rescued_by_a_same_origin_Referer() =>
        Assert.False(OriginCheck.IsSameOrigin(Request("h:1", "http://evil.example", "http://h:1/")));

    [Theory]
    [InlineData("127.0.0.1:8081", true)]
    [InlineData("localhost:8081", true)]
    [InlineData("[::1]:8081", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("rebind.evil.example:8081", false)]
    [InlineData("", false)]
    public void Address_hosts_are_ip_literals_or_localhost(string host, bool expected) =>
        Assert.Equal(expected, OriginCheck.IsAddressHost(host));
}
