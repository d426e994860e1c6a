var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => Results.Json(new { status = "healthy", service = "netra-backend", version = "1.0.0", timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 }));
app.Run();
