using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// Microseconds per report of the validation a submission runs, timed in-process with a warmed Stopwatch loop over
/// the host's own validator (the one in its service container). The validator and the JSON parser that makes its
/// input are found by shape, not by name: a public static <c>Parse(ReadOnlyMemory&lt;byte&gt;)</c> of the reporting
/// library whose result has an <c>Input</c>, and a registered service with a public <c>Validate(input[, bool...])</c>
/// of that library whose result has <c>IsValid</c> (the bools false: no backfill). So the figure survives renames
/// of those classes; when nothing of that shape is found, the run says so and goes on without the figure.
/// </summary>
public static class ValidationTiming
{
    private const int CallsPerRound = 20_000;
    private const int Rounds = 9;

    /// <returns>The median of <see cref="Rounds"/> rounds, in microseconds per call; or why there is none.</returns>
    public static (double? Microseconds, string Note) Measure(IServiceProvider services, byte[] json)
    {
        var library = typeof(UnitRegistry).Assembly;
        var types = library.GetExportedTypes();
        var parse = types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .FirstOrDefault(m => m.Name == "Parse" && m.GetParameters() is [{ ParameterType: var p }] && p == typeof(ReadOnlyMemory<byte>)
                && m.ReturnType.GetProperty("Input") is not null);
        if (parse is null)
        {
            return (null, "no public static Parse(ReadOnlyMemory<byte>) with an Input in the reporting library");
        }

        var input = parse.ReturnType.GetProperty("Input")!.GetValue(parse.Invoke(null, [new ReadOnlyMemory<byte>(json)]))!;
        var inputType = parse.ReturnType.GetProperty("Input")!.PropertyType;
        var candidates =
            from type in types
            where type is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            where method.Name == "Validate" && method.DeclaringType?.Assembly == library
                && method.ReturnType.GetProperty("IsValid")?.PropertyType == typeof(bool)
                && method.GetParameters() is [{ ParameterType: var first }, ..] && first == inputType
                && method.GetParameters().Skip(1).All(p => p.ParameterType == typeof(bool))
            let service = Resolve(services, type)
            where service is not null
            orderby method.GetParameters().Length descending
            select (Service: service, Method: method);
        var found = candidates.ToList();
        if (found.Count == 0)
        {
            return (null, $"no registered service with a public Validate({inputType.Name}[, bool]) in the reporting library");
        }

        var (validator, validate) = found[0];
        var call = Compile(validator, validate);
        var isValid = validate.ReturnType.GetProperty("IsValid")!;
        if (isValid.GetValue(call(input)) is not true)
        {
            return (null, $"{validate.DeclaringType!.Name}.{validate.Name} refused the sample report");
        }

        for (var i = 0; i < CallsPerRound * 2; i++)
        {
            call(input);
        }

        var perCall = new List<double>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < CallsPerRound; i++)
            {
                call(input);
            }

            perCall.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds / CallsPerRound);
        }

        perCall.Sort();
        return (perCall[Rounds / 2], $"{validate.DeclaringType!.Name}.{validate.Name}: median of {Rounds} rounds of {CallsPerRound:N0} calls, fastest {perCall[0]:F2} us, slowest {perCall[^1]:F2} us");
    }

    private static object? Resolve(IServiceProvider services, Type type)
    {
        try
        {
            return services.GetService(type);
        }
        catch (InvalidOperationException)
        {
            return null; // registered, but not resolvable from the root (scoped): not the validator a submission uses.
        }
    }

    /// <summary><c>input => validator.Validate((TInput)input, false, ...)</c>, compiled, so the loop times the validator and not reflection.</summary>
    private static Func<object, object> Compile(object validator, MethodInfo validate)
    {
        var input = Expression.Parameter(typeof(object), "input");
        var parameters = validate.GetParameters();
        var arguments = parameters.Skip(1).Select(_ => (Expression)Expression.Constant(false)).Prepend(Expression.Convert(input, parameters[0].ParameterType));
        var body = Expression.Convert(Expression.Call(Expression.Constant(validator), validate, arguments), typeof(object));
        return Expression.Lambda<Func<object, object>>(body, input).Compile();
    }
}
