namespace Pipeline.Functions.Http;

public sealed record ExemptionView(string UnitCode, string From, string To, string Reason);
