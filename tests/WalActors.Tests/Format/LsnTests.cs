namespace WalActors.Tests.Format;

public sealed class LsnTests
{
    [Fact]
    public void An_lsn_cannot_be_changed_after_it_is_made_neither_by_a_setter_nor_by_init()
    {
        var value = typeof(Lsn).GetProperty(nameof(Lsn.Value))!;

        // `init` compiles to a setter marked with the IsExternalInit modifier; an immutable value has no setter at all.
        Assert.Null(value.SetMethod);
        Assert.True(value.CanRead);
    }

    [Fact]
    public void Lsns_order_and_print_as_their_byte_offsets()
    {
        var (low, high) = (new Lsn(8), new Lsn(4096));

        Assert.True(low < high && high > low && low <= new Lsn(8) && high >= low);
        Assert.Equal(-1, low.CompareTo(high));
        Assert.Equal("4096", high.ToString());
        Assert.Equal(Lsn.Zero, new Lsn(0));
    }
}
