using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Http;

/// <summary>
/// Builds the OpenAPI 3 document from the app's <see cref="FunctionAttribute"/> and <see cref="HttpTriggerAttribute"/>
/// attributes (the source the Worker SDK writes functions.metadata from), so the route list cannot drift from the code.
/// </summary>
public static partial class OpenApiDocument
{
    private static readonly string[] AllMethods = ["get", "post", "put", "delete", "patch", "head", "options"];

    /// <summary>
    /// An HTTP function as its attributes declare it; <see cref="Route"/> as functions.metadata has it, <see cref="Roles"/>
    /// as its <see cref="RolesAttribute"/> says (empty: <see cref="AnonymousAttribute"/>, anyone).
    /// </summary>
    public sealed record HttpRoute(string Function, string Route, IReadOnlyList<string> Methods, IReadOnlyList<Role> Roles);

    public static IReadOnlyList<HttpRoute> Routes(Assembly assembly) =>
        (from type in assembly.GetTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
         let function = method.GetCustomAttribute<FunctionAttribute>()
         where function is not null
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
         where trigger is not null
         select new HttpRoute(
             function.Name,
             string.IsNullOrWhiteSpace(trigger.Route) ? function.Name : trigger.Route,
             trigger.Methods is { Length: > 0 } methods ? methods.Select(m => m.ToLowerInvariant()).ToList() : AllMethods,
             FunctionAccess.RolesOf(method)))
        .OrderBy(r => r.Route, StringComparer.Ordinal)
        .ToList();

    /// <summary>The OpenAPI path of a route: <c>/api/</c> prefix, catch-all <c>{*asset}</c> and constraints dropped.</summary>
    public static string PathOf(string route) => "/api/" + Parameter().Replace(route, m => "{" + m.Groups["name"].Value + "}");

    public static IEnumerable<string> ParametersOf(string route) => Parameter().Matches(route).Select(m => m.Groups["name"].Value);

    public static JsonObject Build(Assembly assembly)
    {
        var paths = new JsonObject();
        foreach (var route in Routes(assembly))
        {
            var description = RouteDescriptions.ByFunction.GetValueOrDefault(route.Function)
                ?? throw new InvalidOperationException($"function {route.Function} has no entry in {nameof(RouteDescriptions)}");
            var path = PathOf(route.Route);
            if (paths[path] is not JsonObject item)
            {
                item = [];
                paths[path] = item;
            }

            foreach (var method in route.Methods)
            {
                item[method] = Operation(route, description);
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Gannan epidemic-prevention daily reports",
                ["version"] = assembly.GetName().Version?.ToString() ?? "1.0",
                ["description"] = "Generated from the function app's attributes. The contract in prose: docs/api.md.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["description"] = "A token issued by POST /api/tokens or exchanged for an enrolment code at POST /api/enrol.",
                    },
                },
                ["schemas"] = new JsonObject { ["Problem"] = ProblemSchema() },
                ["responses"] = new JsonObject
                {
                    ["Problem"] = new JsonObject
                    {
                        ["description"] = "An RFC 9457 problem; Chinese by default, English with Accept-Language: en.",
                        ["content"] = new JsonObject
                        {
                            ["application/problem+json"] = new JsonObject { ["schema"] = Ref("#/components/schemas/Problem") },
                        },
                    },
                },
            },
        };
    }

    private static JsonObject Operation(HttpRoute route, RouteDescription description)
    {
        var roles = route.Roles.Order().Select(r => r.ToString().ToLowerInvariant()).ToList();
        var operation = new JsonObject
        {
            ["operationId"] = route.Function,
            ["summary"] = description.Summary,
            ["x-roles"] = new JsonArray(roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            ["parameters"] = new JsonArray(ParametersOf(route.Route).Select(name => (JsonNode)new JsonObject
            {
                ["name"] = name,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = "string" },
            }).ToArray()),
        };
        var responses = new JsonObject
        {
            ["default"] = Ref("#/components/responses/Problem"),
        };
        if (roles.Count > 0)
        {
            operation["description"] = "Roles: " + string.Join(", ", roles) + ".";
            operation["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
            responses["401"] = Ref("#/components/responses/Problem");
            responses["403"] = Ref("#/components/responses/Problem");
        }
        else
        {
            operation["description"] = "Anyone; no token needed.";
            operation["security"] = new JsonArray();
        }

        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("type", "title", "status"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["description"] = "A URI naming the kind of problem." },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["errors"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Messages keyed by field path (e.g. values.confirmed, rows[3].unitCode).",
                ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            },
            ["correlationId"] = new JsonObject { ["type"] = "string", ["description"] = "On a 5xx: the id its cause is logged under." },
        },
    };

    private static JsonObject Ref(string target) => new() { ["$ref"] = target };

    [GeneratedRegex(@"\{\*?(?<name>[A-Za-z0-9_]+)(:[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
