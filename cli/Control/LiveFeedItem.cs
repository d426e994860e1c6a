using System.Text.Json;

namespace Replica.Cli.Control;

/// <summary>One item of the dashboard's live feed: its number, its channel (env, edge, run, action) and what happened.</summary>
internal sealed record LiveFeedItem(long Seq, string Channel, JsonElement Item);
