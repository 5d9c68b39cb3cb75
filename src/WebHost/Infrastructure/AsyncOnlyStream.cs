namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// A write-only stream over a response body that refuses synchronous I/O. A library that writes
/// mostly asynchronously but finishes a part with a synchronous write (a zip entry's or archive's
/// trailer) has those bytes held here and sent with the next asynchronous write or flush, so no
/// request thread blocks on the network. <see cref="PeakHeld"/> tells how much was ever held at once.
/// </summary>
public sealed class AsyncOnlyStream(Stream inner) : Stream
{
    private readonly MemoryStream held = new();

    /// <summary>The most bytes held at once, waiting for an asynchronous write.</summary>
    public long PeakHeld { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => written + held.Length;
        set => throw new NotSupportedException();
    }

    private long written;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        held.Write(buffer);
        PeakHeld = Math.Max(PeakHeld, held.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await SendHeld(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
        written += buffer.Length;
    }

    /// <summary>Nothing to do synchronously: what is held goes out with the next asynchronous flush.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendHeld(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            held.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task SendHeld(CancellationToken cancellationToken)
    {
        if (held.Length == 0)
        {
            return;
        }

        await inner.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken);
        written += held.Length;
        held.SetLength(0);
    }
}
