namespace DurableWorkflows.Testing;

/// <summary>Templates the tests load: Tinkerbell's own examples, the proposal's example, and one using every key.</summary>
internal static class TemplateFixtures
{
    /// <summary>Tinkerbell's hello-world template (tinkerbell-docs, docs/workflows/hello-world-workflow.md).</summary>
    public const string HelloWorld = """
        version: "0.1"
        name: hello_world_workflow
        global_timeout: 600
        tasks:
          - name: "hello world"
            worker: "{{.device_1}}"
            actions:
              - name: "hello_world"
                image: hello-world
                timeout: 60
        """;

    /// <summary>Tinkerbell's Debian example (tinkerbell-docs, docs/deploying-operating-systems/examples-debian.md,
    /// "Using an Operating System Image"), indented with spaces as on tinkerbell.org.</summary>
    public const string Debian = """
        version: "0.1"
        name: debian_Focal
        global_timeout: 1800
        tasks:
          - name: "os-installation"
            worker: "{{.device_1}}"
            volumes:
              - /dev:/dev
              - /dev/console:/dev/console
              - /lib/firmware:/lib/firmware:ro
            actions:
              - name: "stream-debian-image"
                image: quay.io/tinkerbell-actions/image2disk:v1.0.0
                timeout: 600
                environment:
                  DEST_DISK: /dev/sda
                  IMG_URL: "http://192.168.1.1:8080/debian-10-openstack-amd64.raw.gz"
                  COMPRESSED: true
              - name: "kexec debian"
                image: quay.io/tinkerbell-actions/kexec:v1.0.0
                timeout: 90
                pid: host
                environment:
                  BLOCK_DEVICE: /dev/sda1
                  FS_TYPE: ext4
        """;

    /// <summary>The same Debian example exactly as the docs page prints it: indented with tabs, which YAML forbids.</summary>
    public const string DebianWithTabs =
        "version: \"0.1\"\nname: debian_Focal\nglobal_timeout: 1800\ntasks:\n  - name: \"os-installation\"\n\tworker: \"{{.device_1}}\"\n"
        + "\tvolumes:\n\t  - /dev:/dev\n\tactions:\n\t  - name: \"stream-debian-image\"\n\t\timage: quay.io/tinkerbell-actions/image2disk:v1.0.0\n";

    /// <summary>The proposal's example (Workflow Services, id 0014) exactly as the proposal writes it.</summary>
    public const string Seed = """
        version: "0.1"
        name: ubuntu_provisioning
        global_timeout: 6000
        services:
          - name: serve boot files
            worker: {{provisioner1}}
            image: osie-boot-files-server:v1.0.42
            labels:
              - "traefik.http.routers.myrouter.rule=Host(`{{workflowid}}.workflows.tinkerbell.local`)"
              - "traefik.http.routers.myrouter.rule=Path(`/kernel`)"
              - "traefik.http.routers.myrouter.rule=Path(`/initrd`)"
              - "traefik.http.routers.myrouter.rule=Path(`/modules`)"
              - "traefik.http.routers.myrouter.rule=Path(`/auto.ipxe`)"

          - name: password receiver
            worker: "{{provisioner1}}"
            image: password-receiver:v1.0.42
            labels:
              - "traefik.http.routers.myrouter.rule=Host(`{{workflowid}}.workflows.tinkerbell.local`)"
              - "traefik.http.routers.myrouter.rule=Path(`/key`)"
              - "traefik.http.routers.myrouter.rule=Path(`/password`)"

        tasks:
          - name: os-installation
            worker: {{.device_1}}
            volumes:
              - /dev:/dev
              - /dev/console:/dev/console
              - /lib/firmware:/lib/firmware:ro
            environment:
              MIRROR_HOST: <MIRROR_HOST_IP>
            actions:
              - name: disk-wipe
                image: disk-wipe:v1.0.42
                timeout: 90
              - name: disk-partition
                image: disk-partition:v1.0.42
                timeout: 600
                environment:
                  MIRROR_HOST: <MIRROR_HOST_IP>
                volumes:
                  - /statedir:/statedir
              - name: install-root-fs
                image: install-root-fs:v1.0.42
                timeout: 600
        ...
        """;

    /// <summary>Every key of the schema at least once.</summary>
    public const string Full = """
        version: "0.1"
        name: full
        global_timeout: 900
        services:
          - name: web
            worker: "{{.worker}}"
            image: localhost:5000/tools/web-server:1.2.3
            labels:
              app: web
              tier: "1"
            environment:
              PORT: "8080"
              MODE: 0600
            volumes:
              - /srv:/srv:ro
            command: httpd -f -p 127.0.0.1:8080 -h /srv
            healthcheck:
              test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
              interval: 500ms
              timeout: 2s
              retries: 5
              start_period: 1m30s
            restart: on-failure:2
            startup_timeout: 45s
          - name: sidecar
            worker: "{{.worker}}"
            image: dwf-busybox
            restart: "no"
            healthcheck:
              disable: true
        tasks:
          - name: provision
            worker: "{{.worker}}"
            volumes:
              - /dev:/dev
            environment:
              SHARED: "yes"
            actions:
              - name: fetch
                image: dwf-busybox:latest
                timeout: 30
                command: ["wget", "-q", "http://127.0.0.1:8080/"]
                environment:
                  COMPRESSED: true
                volumes:
                  - /statedir:/statedir
                pid: host
                on-timeout: ["echo", "timed out"]
                on-failure: echo "failed with $?"
                retries: 2
          - name: finish
            worker: "{{.worker}}"
            actions:
              - name: done
                image: dwf-busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        """;

    /// <summary>tink's example Hardware object (config/crd/examples/hardware.yaml), as tink ships it.</summary>
    public const string ExampleHardwareYaml = """
        apiVersion: "tinkerbell.org/v1alpha1"
        kind: Hardware
        metadata:
          name: sm01
          namespace: default
        spec:
          disks:
            - device: /dev/nvme0n1
          metadata:
            facility:
              facility_code: onprem
            manufacturer:
              slug: supermicro
            instance:
              userdata: ""
              hostname: "sm01"
              id: "3c:ec:ef:4c:4f:54"
              operating_system:
                distro: "ubuntu"
                os_slug: "ubuntu_20_04"
                version: "20.04"
          interfaces:
            - dhcp:
                arch: x86_64
                hostname: sm01
                ip:
                  address: 172.16.10.100
                  gateway: 172.16.10.1
                  netmask: 255.255.255.0
                lease_time: 86400
                mac: 3c:ec:ef:4c:4f:54
                name_servers:
                  - 172.16.10.1
                  - 10.1.1.11
                uefi: true
              netboot:
                allowPXE: true
                allowWorkflow: true
        """;
}
