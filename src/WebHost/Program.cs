using Dispatch.WebHost;
using Dispatch.WebHost.Hosting;

var builder = WebApplication.CreateBuilder(args);

// The default: this process is also the silo, with its state in the embedded SQLite store.
// Dispatch:Orleans:Mode=Client joins a cluster of dedicated silos instead.
builder.AddDispatchOrleans();
builder.AddDispatchWebApi();

var app = builder.Build();
app.UseDispatchWebApi();
app.MapDispatchEndpoints();
app.Run();
