using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using WalActors.Persistence;

namespace WalActors.Hosting;

/// <summary>The journal part of <see cref="WalPersistenceOptions"/> in the shape Akka.Persistence.Hosting writes into HOCON.</summary>
internal sealed class WalJournalHostingOptions : JournalOptions
{
    private readonly string _directory;

    public WalJournalHostingOptions(WalPersistenceOptions options)
        : base(options.IsDefaultPlugin)
    {
        Identifier = options.Identifier;
        _directory = options.JournalDirectory;
    }

    public override string Identifier { get; set; }

    // The content of the walactors.persistence.journal block; Akka.Persistence.Hosting moves it under this plugin id.
    protected override Config InternalDefaultConfig => WalPersistence.DefaultConfig().GetConfig(WalPersistence.JournalPluginId);

    protected override StringBuilder Build(StringBuilder sb)
    {
        // Keys appended before the base call land inside the plugin's block.
        sb.AppendLine(CultureInfo.InvariantCulture, $"directory = {_directory.ToHocon()}");
        return base.Build(sb);
    }
}
