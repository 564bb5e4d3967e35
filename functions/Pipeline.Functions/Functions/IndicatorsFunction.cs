using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Functions.Functions;

public sealed class IndicatorsFunction(IndicatorCatalogue catalogue)
{
    [Function("Indicators")]
    [Anonymous]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "indicators")] HttpRequest request) =>
        ApiResult.Ok(new CatalogueView(
            catalogue.Groups.Select(g => new GroupView(g.Key, g.LabelZh, g.LabelEn)).ToList(),
            catalogue.Indicators.Select(i => new IndicatorView(
                i.Key, i.LabelZh, i.LabelEn, i.Group, i.Kind.ToString().ToLowerInvariant(), i.Required,
                new BoundsView(i.Bounds.Min, i.Bounds.Max, i.Bounds.Decimals))).ToList(),
            catalogue.Constraints.Select(c => new ConstraintView(c.Key, c.AtMostSumOf)).ToList()));

    public sealed record CatalogueView(IReadOnlyList<GroupView> Groups, IReadOnlyList<IndicatorView> Indicators, IReadOnlyList<ConstraintView> Constraints);

    public sealed record GroupView(string Key, string LabelZh, string LabelEn);

    public sealed record IndicatorView(string Key, string LabelZh, string LabelEn, string Group, string Kind, bool Required, BoundsView Bounds);

    public sealed record BoundsView(decimal Min, decimal Max, int Decimals);

    public sealed record ConstraintView(string Key, IReadOnlyList<string> AtMostSumOf);
}
