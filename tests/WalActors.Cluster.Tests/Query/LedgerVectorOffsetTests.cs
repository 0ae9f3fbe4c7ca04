using Akka.Persistence.Query;
using WalActors.Cluster.Query;

namespace WalActors.Cluster.Tests.Query;

/// <summary>The cluster read journal's offset: a stable string form that reads back exactly, typed errors for bad input.</summary>
public sealed class LedgerVectorOffsetTests
{
    [Fact]
    public void The_string_form_reads_back_to_the_same_vector()
    {
        var offset = LedgerVectorOffset.Empty
            .With("counter+7", new LedgerPosition(12, 3))
            .With("orders%2Feu+1.5", new LedgerPosition(0, 0))
            .With("a+b", new LedgerPosition(long.MaxValue, int.MaxValue));

        var text = offset.ToString();
        var parsed = LedgerVectorOffset.Parse(text);

        Assert.Equal("lv1;a+b=9223372036854775807.2147483647;counter+7=12.3;orders%2Feu+1.5=0.0", text);
        Assert.Equal(offset, parsed);
        Assert.Equal(offset.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(new LedgerPosition(12, 3), parsed.PositionOf("counter+7"));
        Assert.Null(parsed.PositionOf("counter+8"));
        Assert.Equal("lv1", LedgerVectorOffset.Empty.ToString());
        Assert.Equal(LedgerVectorOffset.Empty, LedgerVectorOffset.Parse("lv1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("lv2;counter+1=1.0")]
    [InlineData("counter+1=1.0")]
    [InlineData("lv1;")]
    [InlineData("lv1;counter+1")]
    [InlineData("lv1;counter+1=1")]
    [InlineData("lv1;=1.0")]
    [InlineData("lv1;counter+1=-1.0")]
    [InlineData("lv1;counter+1=1.-2")]
    [InlineData("lv1;counter+1=x.0")]
    [InlineData("lv1;counter+1=1.0;counter+1=2.0")]
    [InlineData("lv1;coun ter+1=1.0")]
    [InlineData("lv1;counter+1=99999999999999999999.0")]
    public void Text_that_is_not_a_vector_is_a_format_error(string text)
    {
        var error = Assert.Throws<FormatException>(() => LedgerVectorOffset.Parse(text));
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.False(LedgerVectorOffset.TryParse(text, out _));
    }

    [Fact]
    public void Bad_arguments_are_argument_errors()
    {
        Assert.Throws<ArgumentNullException>(() => LedgerVectorOffset.Parse(null!));
        Assert.Throws<ArgumentException>(() => LedgerVectorOffset.Empty.With("no;good", new LedgerPosition(1, 0)));
        Assert.Throws<ArgumentException>(() => LedgerVectorOffset.Empty.With("counter+1", new LedgerPosition(-1, 0)));
        Assert.Throws<ArgumentException>(() => LedgerVectorOffset.Empty.CompareTo(Offset.Sequence(3)));
    }

    [Fact]
    public void Vectors_compare_by_position_where_one_is_at_or_after_the_other_in_every_ledger()
    {
        var early = LedgerVectorOffset.Empty.With("x+1", new LedgerPosition(1, 0));
        var later = early.With("x+1", new LedgerPosition(1, 1)).With("x+2", new LedgerPosition(0, 0));
        var apart = LedgerVectorOffset.Empty.With("x+2", new LedgerPosition(5, 0));

        Assert.True(early.CompareTo(later) < 0);
        Assert.True(later.CompareTo(early) > 0);
        Assert.Equal(0, later.CompareTo(LedgerVectorOffset.Parse(later.ToString())));
        Assert.Equal(-apart.CompareTo(early), early.CompareTo(apart));
        Assert.NotEqual(0, early.CompareTo(apart));
    }

    [Fact]
    public void A_query_starts_at_the_beginning_from_no_offset_or_sequence_zero_and_refuses_other_offset_types()
    {
        Assert.Equal(LedgerVectorOffset.Empty, WalClusterReadJournal.Start(NoOffset.Instance));
        Assert.Equal(LedgerVectorOffset.Empty, WalClusterReadJournal.Start(Offset.Sequence(0)));
        Assert.Equal(LedgerVectorOffset.Empty, WalClusterReadJournal.Start(null));
        var vector = LedgerVectorOffset.Empty.With("x+1", new LedgerPosition(4, 2));
        Assert.Same(vector, WalClusterReadJournal.Start(vector));
        Assert.Throws<ArgumentException>(() => WalClusterReadJournal.Start(Offset.Sequence(5)));
        Assert.Throws<ArgumentException>(() => WalClusterReadJournal.Start(Offset.TimeBasedUuid(Guid.NewGuid())));
    }
}
