using Dispatch.Silo.Hosting;
using Dispatch.WebHost;

var builder = WebApplication.CreateBuilder(args);

// The default: this process is also the silo, with its state in the embedded SQLite store.
builder.AddDispatchSilo();
builder.AddDispatchWebApi();

var app = builder.Build();
app.UseDispatchWebApi();
app.MapDispatchEndpoints();
app.Run();
