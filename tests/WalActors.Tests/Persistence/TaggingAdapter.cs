using Akka.Persistence.Journal;

namespace WalActors.Tests.Persistence;

/// <summary>A write-side event adapter that tags every string event "hosted".</summary>
public sealed class TaggingAdapter : IWriteEventAdapter
{
    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) => new Tagged(evt, ["hosted"]);
}
