// Why a connection failed, guessed from the server's address and what it answered: the causes
// new users meet (a web UI started without --api, a wrong port, another program on the port,
// the web page's login instead of the API's, a hosted space without the API), each pointing to
// the README section that explains it. Pure.

import * as l10n from '@vscode/l10n';
import { isLoopbackHost } from '../sdapi/baseUrl';
import type { SdApiError } from '../sdapi/errors';
import { README_SECTIONS, type ReadmeSection } from '../shared/links';

export interface ConnectionHelp {
  /** One sentence: the likely cause and what to do. */
  hint: string;
  /** The README section that explains it. */
  section: ReadmeSection;
}

export interface ConnectionContext {
  /**
   * The extension runs on a remote machine (a browser window on vscode.dev or Codespaces, or a
   * remote window where VS Code put it on the workspace side): its 127.0.0.1 is that machine.
   */
  remote: boolean;
}

/** Default ports of servers that do not speak the A1111 API. */
// l10n-exempt: product names.
const OTHER_SERVERS: ReadonlyMap<string, string> = new Map([
  ['8188', 'ComfyUI'],
  ['9090', 'InvokeAI'],
  ['7865', 'Fooocus'],
  ['7801', 'SwarmUI'],
]);

export function connectionHelp(error: SdApiError, context: ConnectionContext): ConnectionHelp | undefined {
  const url = parseOrigin(error.details.origin);
  if (!url) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const other = OTHER_SERVERS.get(port);
  const hosted = /(^|\.)(hf\.space|huggingface\.co)$/i.test(url.hostname);
  switch (error.kind) {
    case 'unreachable':
      if (other) return notThisApi(l10n.t('Port {0} is where {1} usually listens, and {1} does not offer the AUTOMATIC1111 API.', port, other));
      if (isLoopbackHost(url.origin)) {
        return {
          hint: context.remote
            ? l10n.t(
                'The extension runs on the remote machine of this window, so {0} is that machine: run the server there, or forward its port to it.',
                url.hostname,
              )
            : l10n.t(
                'Nothing answers on port {0} of this computer: start the web UI with --api and use the address its console prints after "Running on local URL".',
                port,
              ),
          section: README_SECTIONS.connect,
        };
      }
      return {
        hint: l10n.t('A server on another machine must be started with --listen to accept connections, and its port must be open in any firewall.'),
        section: README_SECTIONS.connect,
      };
    case 'noApi':
      if (hosted)
        return notThisApi(l10n.t('Most hosted spaces run their own page without the AUTOMATIC1111 API (/sdapi/v1): use one that was started with --api.'));
      return {
        hint: l10n.t(
          'A web UI answers here without its API: add --api to COMMANDLINE_ARGS (webui-user.bat or webui-user.sh) for A1111 and Forge, then restart it; SD.Next always has it.',
        ),
        section: README_SECTIONS.connect,
      };
    case 'notJson':
    case 'methodNotAllowed':
      return notThisApi(
        other
          ? l10n.t('Port {0} is where {1} usually listens, and {1} does not offer the AUTOMATIC1111 API.', port, other)
          : l10n.t(
              'Something other than an AUTOMATIC1111-compatible server answers at this address: another program on this port, or the login page of a proxy.',
            ),
      );
    case 'unauthorized':
      return {
        hint: error.details.hadCredentials
          ? l10n.t(
              "The API checks the login given with --api-auth (SD.Next: --auth), or a proxy's login; the web page's --gradio-auth login does not work for it.",
            )
          : l10n.t('The server was started with --api-auth (SD.Next: --auth), or a proxy in front of it asks for a login.'),
        section: README_SECTIONS.login,
      };
    default:
      return undefined;
  }
}

function notThisApi(hint: string): ConnectionHelp {
  return { hint, section: README_SECTIONS.unsupported };
}

function parseOrigin(origin: string | undefined): URL | undefined {
  if (!origin) return undefined;
  try {
    return new URL(origin);
  } catch {
    return undefined;
  }
}
