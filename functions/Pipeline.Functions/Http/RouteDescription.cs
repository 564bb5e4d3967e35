using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Http;

/// <summary>
/// What the OpenAPI document says about one HTTP function beyond its attributes: a summary and the roles its
/// <c>gateway.AuthorizedAsync</c> call admits (empty: anyone, no token needed).
/// </summary>
public sealed record RouteDescription(string Summary, IReadOnlyList<Role> Roles);
