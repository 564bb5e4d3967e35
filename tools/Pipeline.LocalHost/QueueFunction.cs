using System.Reflection;
using System.Text.RegularExpressions;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace Pipeline.LocalHost;

/// <summary>A queue-triggered function as its own attributes declare it, with <c>%Setting%</c> names resolved.</summary>
public sealed partial record QueueFunction(string Name, MethodInfo Method, string QueueName, string Connection)
{
    /// <summary>The connection the host uses when the attribute names none.</summary>
    public const string DefaultConnection = "AzureWebJobsStorage";

    private static readonly Type[] BindableTypes = [typeof(string), typeof(BinaryData), typeof(QueueMessage)];

    public static IReadOnlyList<QueueFunction> Discover(Assembly assembly, IConfiguration configuration) =>
        (from function in FunctionDiscovery.Functions(assembly)
         let trigger = function.Method.GetParameters()
             .Select(p => p.GetCustomAttribute<QueueTriggerAttribute>())
             .FirstOrDefault(a => a is not null)
         where trigger is not null
         select Check(new QueueFunction(
             function.Name,
             function.Method,
             Resolve(trigger.QueueName, configuration, function.Name),
             Resolve(trigger.Connection ?? DefaultConnection, configuration, function.Name))))
        .ToList();

    /// <summary>The function's arguments for one message: the trigger as string, BinaryData or QueueMessage, and the cancellation token.</summary>
    public object?[] Arguments(QueueMessage message, CancellationToken cancellationToken) =>
        Method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(CancellationToken) => cancellationToken,
            var t when t == typeof(QueueMessage) => message,
            var t when t == typeof(BinaryData) => message.Body,
            var t when t == typeof(string) => (object)message.Body.ToString(),
            _ => throw new NotSupportedException($"Parameter {p.Name} of {Name}."),
        }).ToArray();

    private static QueueFunction Check(QueueFunction function)
    {
        foreach (var parameter in function.Method.GetParameters())
        {
            var bindable = parameter.ParameterType == typeof(CancellationToken)
                || (parameter.GetCustomAttribute<QueueTriggerAttribute>() is not null && BindableTypes.Contains(parameter.ParameterType));
            if (!bindable)
            {
                throw new NotSupportedException(
                    $"The local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of function {function.Name}.");
            }
        }

        return function;
    }

    /// <summary><c>%Name%</c> is an app setting, as in the host; anything else is taken as written.</summary>
    internal static string Resolve(string value, IConfiguration configuration, string function) =>
        SettingReference().Replace(value, match =>
            configuration[match.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)]
            ?? throw new InvalidOperationException($"Function {function}: app setting '{match.Groups[1].Value}' is not set."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}
