using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Functions;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Tests.Access;

/// <summary>
/// Who may call a function is declared once, on its method ([Roles] or [Anonymous]); the guard, the OpenAPI document
/// and these checks read that one declaration, and the access matrix's expected statuses must agree with it.
/// </summary>
public sealed class DeclaredRolesTests
{
    private static readonly Assembly Functions = typeof(SubmitReportFunction).Assembly;

    /// <summary>The role each column of <see cref="AccessMatrixTests.Expected"/> calls with; null: no valid token.</summary>
    private static readonly Dictionary<string, Role?> CallerRoles = new()
    {
        ["anonymous"] = null,
        ["revoked"] = null,
        ["reporter-own"] = Role.Reporter,
        ["reporter-other"] = Role.Reporter,
        ["official-county"] = Role.Official,
        ["official-other-county"] = Role.Official,
        ["official-prefecture"] = Role.Official,
        ["admin"] = Role.Admin,
    };

    [Fact]
    public void Every_http_function_declares_who_may_call_it_exactly_once()
    {
        var undeclared = new List<string>();
        foreach (var method in Functions.GetTypes().SelectMany(t => t.GetMethods()).Where(IsHttpFunction))
        {
            try
            {
                FunctionAccess.RolesOf(method);
            }
            catch (InvalidOperationException e)
            {
                undeclared.Add(e.Message);
            }
        }

        Assert.True(undeclared.Count == 0, string.Join("\n", undeclared));
    }

    [Fact]
    public void The_access_matrix_agrees_with_the_declared_roles()
    {
        var disagreements = new List<string>();
        foreach (var route in OpenApiDocument.Routes(Functions))
        {
            foreach (var method in route.Methods)
            {
                var endpoint = $"{method.ToUpperInvariant()} {route.Route}";
                if (!AccessMatrixTests.Expected.TryGetValue(endpoint, out var expected))
                {
                    continue; // AccessMatrixTests.The_matrix_covers_every_http_endpoint_of_the_app names it
                }

                for (var c = 0; c < AccessMatrixTests.Callers.Length; c++)
                {
                    var caller = AccessMatrixTests.Callers[c];
                    var role = CallerRoles[caller];
                    var declared = route.Roles.Count == 0
                        ? "anyone, so neither 401 nor 403"
                        : role is null ? "401" : !route.Roles.Contains(role.Value) ? "403" : null;
                    var agrees = declared switch
                    {
                        null => expected[c] != 401, // an admitted role may still be refused by scope (403) or find nothing (404)
                        "401" => expected[c] == 401,
                        "403" => expected[c] == 403,
                        _ => expected[c] is not (401 or 403),
                    };
                    if (!agrees)
                    {
                        disagreements.Add($"{endpoint} ({route.Function}) as {caller}: the matrix expects {expected[c]}, the declaration says {declared ?? "admitted"}");
                    }
                }
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    private static bool IsHttpFunction(MethodInfo method) =>
        method.GetCustomAttribute<FunctionAttribute>() is not null
        && method.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null);
}
