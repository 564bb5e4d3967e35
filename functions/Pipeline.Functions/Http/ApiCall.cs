using Microsoft.AspNetCore.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Functions.Http;

/// <summary>One authenticated API request as a function body sees it.</summary>
public sealed record ApiCall(HttpRequest Request, Language Language, Caller Caller, CancellationToken CancellationToken);
