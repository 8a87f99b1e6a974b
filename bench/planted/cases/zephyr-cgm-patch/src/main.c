#include <zephyr/kernel.h>
#include <zephyr/bluetooth/bluetooth.h>

extern void uplink_connect(void);
extern int generate_report_key(void);

int main(void)
{
    bt_enable(NULL);
    generate_report_key();
    uplink_connect();
    return 0;
}
