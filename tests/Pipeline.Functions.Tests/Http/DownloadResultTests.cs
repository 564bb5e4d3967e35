using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Pipeline.Functions.Http;
using Xunit;

namespace Pipeline.Functions.Tests.Http;

/// <summary>A page, the form's assets and the board answer 304 to any If-None-Match RFC 9110 says matches their ETag.</summary>
public sealed class DownloadResultTests
{
    private const string ETag = "\"sha-of-the-page\"";

    private static async Task<(int Status, long Bytes)> AnswerAsync(string ifNoneMatch)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.IfNoneMatch = ifNoneMatch;
        context.Response.Body = new MemoryStream();
        await new DownloadResult("<html></html>"u8.ToArray(), "text/html", etag: ETag)
            .ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return (context.Response.StatusCode, context.Response.Body.Length);
    }

    [Theory]
    [InlineData(ETag)]
    [InlineData("\"an-older-page\", " + ETag)]
    [InlineData("*")]
    [InlineData("W/" + ETag)]
    public async Task A_conditional_get_naming_the_etag_among_others_or_weakly_or_with_a_star_is_answered_304_without_a_body(string ifNoneMatch) =>
        Assert.Equal((StatusCodes.Status304NotModified, 0L), await AnswerAsync(ifNoneMatch));

    [Fact]
    public async Task A_conditional_get_naming_only_other_etags_gets_the_content() =>
        Assert.Equal((StatusCodes.Status200OK, 13L), await AnswerAsync("\"an-older-page\", \"another\""));
}
