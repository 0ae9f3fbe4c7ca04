using System.Text;
using WalActors.Format;

namespace WalActors.Tests.Format;

public sealed class Crc32CTests
{
    [Fact]
    public void Matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Appending_in_pieces_equals_computing_at_once()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        var pieces = Crc32C.Append(Crc32C.Append(Crc32C.Start(), data.AsSpan(0, 13)), data.AsSpan(13));
        Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(pieces));
    }
}
