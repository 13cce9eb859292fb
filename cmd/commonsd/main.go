// Command commonsd runs a commonsd instance and administers it.
//
//	commonsd serve [--role all|web|worker]
//	commonsd migrate
//	commonsd admin user create --username U --email E --password P [--role R]
//	commonsd admin user set-role --username U --role R
//	commonsd admin user reset-password --username U
//	commonsd admin token create --username U
//	commonsd admin community create --handle H --name N --owner U [--licence L]
//	commonsd admin organization create --handle H --name N --owner U --kind coalition|foundation [--website URL]
//	commonsd version
//
// Every command takes --config FILE; COMMONSD_* environment variables override it.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/commonsd/commonsd/app"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/version"
	"github.com/spf13/cobra"
)

func main() {
	if err := newRoot(os.Stdout, os.Stderr).Execute(); err != nil {
		os.Exit(1)
	}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	var cfgFile string
	root := &cobra.Command{
		Use:           "commonsd",
		Short:         "A federated ActivityPub server for commons-based communities",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&cfgFile, "config", "", "configuration file (YAML); COMMONSD_* variables override it")
	load := func() (config.Config, error) { return config.Load(cfgFile, os.Environ()) }

	root.AddCommand(serveCmd(load), migrateCmd(load), adminCmd(load), &cobra.Command{
		Use: "version", Short: "Print the version",
		Run: func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), "commonsd", version.Version) },
	})
	return root
}

func serveCmd(load func() (config.Config, error)) *cobra.Command {
	var role string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP server and background workers",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := load()
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			start := time.Now()
			a, err := app.New(ctx, cfg, nil)
			if err != nil {
				return err
			}
			defer a.Close()
			var ln net.Listener
			if role != app.RoleWorker {
				if ln, err = net.Listen("tcp", cfg.Server.Listen); err != nil {
					return err
				}
			}
			a.Log.Info("commonsd ready", "version", version.Version, "startup", time.Since(start).String(), "db", cfg.Database.Driver)
			// Start-up garbage (migrations, key parsing) is handed back to the OS
			// once, and so are the pages of the binary only start-up ran
			// (releaseCodePages says why), so an idle instance stays small.
			go func() {
				time.Sleep(time.Second)
				debug.FreeOSMemory()
				releaseCodePages()
			}()
			return a.Serve(ctx, ln, role)
		},
	}
	cmd.Flags().StringVar(&role, "role", app.RoleAll, "process role: all, web (HTTP only) or worker (background jobs only)")
	return cmd
}

func migrateCmd(load func() (config.Config, error)) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations and exit",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := load()
			if err != nil {
				return err
			}
			st, err := app.Open(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			fmt.Fprintln(cmd.OutOrStdout(), "migrations applied")
			return nil
		},
	}
}

// withService opens the store and builds the service layer for admin commands.
func withService(ctx context.Context, load func() (config.Config, error), fn func(*service.Service) error) error {
	cfg, err := load()
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.NewLogger(config.Log{Format: "text", Level: "warn"}, os.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	if err := fn(a.Svc); err != nil {
		return fmt.Errorf("%s", errs.Message(err))
	}
	return nil
}

func adminCmd(load func() (config.Config, error)) *cobra.Command {
	admin := &cobra.Command{Use: "admin", Short: "Administer users, tokens and communities"}
	user := &cobra.Command{Use: "user", Short: "Manage local users"}
	token := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	admin.AddCommand(user, token, communityCmd(load), organizationCmd(load))

	var username, email, password, role string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an approved local user",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), load, func(s *service.Service) error {
				u, err := s.Accounts.Create(cmd.Context(), service.Registration{Username: username, Email: email, Password: password, Role: role})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created user %s (%s)\n", u.Username, u.Role)
				return nil
			})
		},
	}
	create.Flags().StringVar(&username, "username", "", "username (required)")
	create.Flags().StringVar(&email, "email", "", "e-mail address (required)")
	create.Flags().StringVar(&password, "password", "", "password, at least 10 characters (required)")
	create.Flags().StringVar(&role, "role", "member", "admin, moderator or member")
	for _, f := range []string{"username", "email", "password"} {
		_ = create.MarkFlagRequired(f)
	}

	var srUser, srRole string
	setRole := &cobra.Command{
		Use:   "set-role",
		Short: "Change a user's role",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), load, func(s *service.Service) error {
				u, err := s.Accounts.Moderate(cmd.Context(), nil, srUser, service.ModerationChange{Role: srRole})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s is now %s\n", u.Username, u.Role)
				return nil
			})
		},
	}
	setRole.Flags().StringVar(&srUser, "username", "", "username (required)")
	setRole.Flags().StringVar(&srRole, "role", "", "admin, moderator or member (required)")
	_ = setRole.MarkFlagRequired("username")
	_ = setRole.MarkFlagRequired("role")

	var suUser string
	var suOff bool
	suspend := &cobra.Command{
		Use:   "suspend",
		Short: "Suspend a user (or lift it with --lift)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), load, func(s *service.Service) error {
				v := !suOff
				u, err := s.Accounts.Moderate(cmd.Context(), nil, suUser, service.ModerationChange{Suspended: &v})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s suspended: %v\n", u.Username, u.Suspended)
				return nil
			})
		},
	}
	suspend.Flags().StringVar(&suUser, "username", "", "username (required)")
	suspend.Flags().BoolVar(&suOff, "lift", false, "lift the suspension")
	_ = suspend.MarkFlagRequired("username")

	var rpUser string
	resetPassword := &cobra.Command{
		Use:   "reset-password",
		Short: "Print a one-time link (valid 24 hours) where the user chooses a new password",
		Long: "Print a one-time password reset link, for instances without e-mail: hand it to the user.\n" +
			"Using it ends all their sessions and revokes their API tokens.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), load, func(s *service.Service) error {
				link, err := s.Accounts.ResetLink(cmd.Context(), rpUser)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), link)
				return nil
			})
		},
	}
	resetPassword.Flags().StringVar(&rpUser, "username", "", "username (required)")
	_ = resetPassword.MarkFlagRequired("username")
	user.AddCommand(create, setRole, suspend, resetPassword)

	var tUser, tName string
	tcreate := &cobra.Command{
		Use:   "create",
		Short: "Create an API bearer token and print it",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), load, func(s *service.Service) error {
				u, err := s.Accounts.ByUsername(cmd.Context(), tUser)
				if err != nil {
					return err
				}
				secret, _, err := s.Accounts.NewToken(cmd.Context(), u, tName)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), secret)
				return nil
			})
		},
	}
	tcreate.Flags().StringVar(&tUser, "username", "", "username (required)")
	tcreate.Flags().StringVar(&tName, "name", "cli", "a label for the token")
	_ = tcreate.MarkFlagRequired("username")
	token.AddCommand(tcreate)
	return admin
}

func communityCmd(load func() (config.Config, error)) *cobra.Command {
	community := &cobra.Command{Use: "community", Short: "Manage communities"}
	var handle, name, owner, licence string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a community owned by a local user and print its actor URL",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), load, func(s *service.Service) error {
				u, err := s.Accounts.ByUsername(cmd.Context(), owner)
				if err != nil {
					return err
				}
				group, _, err := s.Communities.Create(cmd.Context(), u, service.CommunityInput{Handle: handle, Name: name, Licence: licence})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), group.URI)
				return nil
			})
		},
	}
	create.Flags().StringVar(&handle, "handle", "", "the community's handle (required)")
	create.Flags().StringVar(&name, "name", "", "display name (required)")
	create.Flags().StringVar(&owner, "owner", "", "username of the local user who becomes its first steward (required)")
	create.Flags().StringVar(&licence, "licence", "PPL", "licence of the commons: an SPDX id or PPL (Peer Production License)")
	for _, f := range []string{"handle", "name", "owner"} {
		_ = create.MarkFlagRequired(f)
	}
	community.AddCommand(create)
	return community
}

func organizationCmd(load func() (config.Config, error)) *cobra.Command {
	org := &cobra.Command{Use: "organization", Short: "Manage organizations (coalition partners and foundations)"}
	var handle, name, owner, kind, website string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an organization whose first admin is a local user and print its actor URL",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), load, func(s *service.Service) error {
				u, err := s.Accounts.ByUsername(cmd.Context(), owner)
				if err != nil {
					return err
				}
				act, _, err := s.Economy.CreateOrganization(cmd.Context(), u, service.OrganizationInput{Handle: handle, Name: name,
					Kind: kind, Website: website})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), act.URI)
				return nil
			})
		},
	}
	create.Flags().StringVar(&handle, "handle", "", "the organization's handle (required)")
	create.Flags().StringVar(&name, "name", "", "display name (required)")
	create.Flags().StringVar(&owner, "owner", "", "username of the local user who becomes its first admin (required)")
	create.Flags().StringVar(&kind, "kind", "", "coalition (a business, co-op or freelancer living on the commons) or foundation (required)")
	create.Flags().StringVar(&website, "website", "", "its website (http(s) URL)")
	for _, f := range []string{"handle", "name", "owner", "kind"} {
		_ = create.MarkFlagRequired(f)
	}
	org.AddCommand(create)
	return org
}
