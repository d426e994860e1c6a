var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/auth/health", () => Results.Json(new { status = "healthy" }));
app.Run();
