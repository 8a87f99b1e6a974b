/**
 * Two Zephyr products whose Kconfig facts differ, for the tests of facts derived across files: in both, an
 * option selects a symbol defined in an rsourced file, which selects a debug shell, and pairing is selected
 * by a default-on option. `patch` turns the cloud option on (telnet shell through APP_DIAG; bonding
 * authenticates mcumgr); `relay` leaves it off and turns bonding off, so the field-service transport is open.
 */
export const PRODUCT_KCONFIG = `config APP_CLOUD
\tbool "Cloud"
\tselect APP_DIAG

config APP_FIELD_SERVICE
\tbool "Field service"
\tselect MCUMGR
\tselect MCUMGR_TRANSPORT_BT
\tselect MCUMGR_GRP_IMG

rsource "src/Kconfig.diag"
`;

const DIAG_KCONFIG = `config APP_DIAG
\tbool
\tselect SHELL_BACKEND_TELNET

config APP_BONDING
\tbool "Bonding"
\tdefault y
\tselect BT_SMP
`;

export function writeZephyrProducts(project: { write(name: string, content: string): unknown }): void {
  for (const name of ['patch', 'relay']) {
    project.write(`${name}/Kconfig`, PRODUCT_KCONFIG);
    project.write(`${name}/src/Kconfig.diag`, DIAG_KCONFIG);
    project.write(`${name}/src/main.c`, 'int main(void) { return 0; }\n');
  }
  project.write('patch/prj.conf', 'CONFIG_BT=y\nCONFIG_APP_CLOUD=y\nCONFIG_APP_FIELD_SERVICE=y\n');
  project.write('relay/prj.conf', 'CONFIG_BT=y\nCONFIG_APP_FIELD_SERVICE=y\nCONFIG_APP_BONDING=n\n');
}
