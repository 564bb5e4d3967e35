using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Pipeline.LocalHost;

/// <summary>
/// A queue output binding of an HTTP function: a <see cref="QueueOutputAttribute"/> property of the type it returns
/// beside its <see cref="HttpResultAttribute"/> property (the isolated worker's multi-output shape), with <c>%Setting%</c>
/// names resolved and the queue name lower-cased as the host does.
/// </summary>
public sealed record QueueOutput(PropertyInfo Property, string QueueName, string Connection)
{
    private static readonly Type[] BindableTypes = [typeof(string), typeof(BinaryData), typeof(byte[])];

    /// <summary>The property holding the HTTP answer, and the queue outputs, of a function's return type; none for a plain IActionResult.</summary>
    public static (PropertyInfo? HttpResult, IReadOnlyList<QueueOutput> Queues) Of(MethodInfo method, IConfiguration configuration)
    {
        var type = method.ReturnType is { IsGenericType: true } generic
            && (generic.GetGenericTypeDefinition() == typeof(Task<>) || generic.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? generic.GetGenericArguments()[0]
            : method.ReturnType;
        var httpResult = type.GetProperties().SingleOrDefault(p => p.GetCustomAttribute<HttpResultAttribute>() is not null);
        if (httpResult is null)
        {
            return (null, []);
        }

        var queues = (from property in type.GetProperties()
                      let attribute = property.GetCustomAttribute<QueueOutputAttribute>()
                      where attribute is not null
                      select new QueueOutput(
                          BindableTypes.Contains(property.PropertyType) ? property
                              : throw new NotSupportedException($"The local host cannot write queue output '{property.Name}' ({property.PropertyType.Name}) of {type.Name}."),
                          QueueFunction.Resolve(attribute.QueueName, configuration, type.Name).ToLowerInvariant(),
                          QueueFunction.Resolve(attribute.Connection ?? QueueFunction.DefaultConnection, configuration, type.Name)))
            .ToList();
        return (httpResult, queues);
    }

    /// <summary>The message the function set, or null when it set none (nothing is written then).</summary>
    public BinaryData? MessageIn(object output) => Property.GetValue(output) switch
    {
        string text => BinaryData.FromString(text),
        byte[] bytes => BinaryData.FromBytes(bytes),
        BinaryData data => data,
        _ => null,
    };
}
