using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Units;

namespace Pipeline.Functions.Functions;

public sealed class UnitsFunction(UnitRegistry units)
{
    [Function("Units")]
    [Anonymous]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units")] HttpRequest request) =>
        ApiResult.Ok(View(units.Root));

    private UnitView View(AdminUnit unit) =>
        new(unit.Code, unit.NameZh, unit.NameEn, unit.Level.ToString().ToLowerInvariant(),
            units.Children(unit.Code) is { Count: > 0 } children ? children.Select(View).ToList() : null);

    public sealed record UnitView(string Code, string NameZh, string NameEn, string Level, IReadOnlyList<UnitView>? Children);
}
