using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Http;

/// <summary>
/// The roles an HTTP function admits, declared once on its method: <see cref="RequestGuard"/> lets only them through,
/// the OpenAPI document lists them, and the access matrix test holds its expectations against them.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RolesAttribute(params Role[] roles) : Attribute
{
    /// <summary>In the order declared, which is the order the 403 message names them in.</summary>
    public IReadOnlyList<Role> Roles { get; } = roles;
}
