using System.Globalization;
using System.Text;
using WalActors.Host;

// One way of printing figures whatever the machine's locale (1,234.5; µs), in UTF-8 whatever the terminal's charset.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

return WalactorsCommand.Run(args);
